from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from config import health

admin.site.site_header = "Awesome Curator"
admin.site.site_title = "Awesome Curator"
admin.site.index_title = "Curation"

handler500 = "config.errors.server_error"

# Redoc styles itself with CSS-in-JS (inline <style> elements), searches in a blob: worker and
# shows the Redocly logo from its CDN: allowed on its page only, which shows nothing but our own
# schema. Scripts stay 'self' there too.
REDOC_CSP = {
    "style-src": [UNSAFE_INLINE],
    "worker-src": [SELF, "blob:"],
    "img-src": ["https://cdn.redoc.ly"],
}


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    # Resolved per request: with the manifest storage of production, the hashed name exists
    # only once collectstatic has run, not when the URLs are imported.
    return HttpResponsePermanentRedirect(static("favicon.svg"))


urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    # Browsers (and feed readers) ask for /favicon.ico whatever the page names.
    path("favicon.ico", favicon),
    path("api/", include("catalog.api.urls")),
    path("api/", include("curation.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file (?script), not inline.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="api/swagger_ui.html"
        ),
        name="api-docs",
    ),
    path(
        "api/redoc/",
        csp_update(REDOC_CSP)(
            SpectacularRedocView.as_view(url_name="api-schema", template_name="api/redoc.html")
        ),
        name="api-redoc",
    ),
    path("", include("curation.public.urls")),
    path("", include("curation.public.changes_urls")),
    path("", include("catalog.urls")),
]
