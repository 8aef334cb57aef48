from django.urls import path

from curation.public import views

app_name = "suggest"

urlpatterns = [
    path("lists/<slug:slug>/suggest/", views.create, name="create"),
    path("lists/<slug:slug>/suggest/<str:token>/", views.status, name="status"),
]
