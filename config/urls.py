from django.contrib import admin
from django.urls import include, path

from config import health

admin.site.site_header = "Awesome Curator"
admin.site.site_title = "Awesome Curator"
admin.site.index_title = "Curation"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("", include("catalog.urls")),
]
