"""What a request that failed answers: 503 while the database is not answering, 500 otherwise.

Django calls ``handler500`` (``config/urls.py``) for any exception no view or middleware handled,
from inside its ``except`` block, so ``sys.exc_info()`` is that exception. A database that cannot
be reached (``OperationalError`` / ``InterfaceError``: connection refused, too many clients, an
SQLite file that cannot be opened, a connection killed half way) is an outage that passes: the
visitor gets a 503 with ``Retry-After`` and words saying so, the API a JSON 503, the load
balancer and the CDN a status they know not to cache. Anything else is a bug: a plain 500.

Both pages are rendered without the request: no context processor runs, so nothing here asks
for the user, the session or the database (or whatever a middleware such as django-axes or
django-csp adds), and rendering cannot fail the way the request did. Should it fail anyway (a
missing template, a missing static manifest), a built-in page is served instead: an error page
must never raise.
"""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.templatetags.static import static
from django.utils.html import escape

DATABASE_UNAVAILABLE = (
    "The site is down for a moment: its database is not answering. Try again in a minute."
)
SERVER_ERROR = "Something went wrong on our side. It has been logged, and we will look into it."
RETRY_AFTER_SECONDS = 60

logger = logging.getLogger("django.request")


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: 503 when the database is unavailable, a plain 500 for anything else."""
    error = sys.exc_info()[1]
    cause = database_error(error) if error is not None else None
    if cause is not None:
        response = _unavailable(request)
        # One line per request, not a traceback: during an outage every request fails the same
        # way, and the cause (refused, timed out, cannot open the file) is in the message.
        logger.error(
            "Service Unavailable (database not answering): %s %s: %s: %s",
            request.method,
            request.path,
            type(cause).__name__,
            str(cause).strip().replace("\n", " "),
        )
        # Django logs every 5xx once more after the handler unless the response says it was.
        response._has_been_logged = True  # type: ignore[attr-defined]
        return response
    # Django itself logs this one, with its traceback, right after the handler returns.
    return _error(request)


def is_database_unavailable(error: BaseException) -> bool:
    """Whether ``error`` (or what caused it) says the database could not be reached or used."""
    return database_error(error) is not None


def database_error(error: BaseException) -> BaseException | None:
    """The ``OperationalError`` / ``InterfaceError`` in ``error``'s chain of causes, if any."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, (OperationalError, InterfaceError)):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def _unavailable(request: HttpRequest) -> HttpResponse:
    response: HttpResponse
    if is_api(request):
        response = JsonResponse(
            {"detail": DATABASE_UNAVAILABLE, "code": "database_unavailable"}, status=503
        )
    else:
        response = HttpResponse(_page("503.html", DATABASE_UNAVAILABLE), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # A CDN or a browser must not keep the outage after it is over.
    response["Cache-Control"] = "no-store"
    return response


def _error(request: HttpRequest) -> HttpResponse:
    response: HttpResponse
    if is_api(request):
        response = JsonResponse({"detail": SERVER_ERROR, "code": "server_error"}, status=500)
    else:
        response = HttpResponse(_page("500.html", SERVER_ERROR), status=500)
    response["Cache-Control"] = "no-store"
    return response


def _page(template_name: str, message: str) -> str:
    try:
        return loader.get_template(template_name).render(
            {"message": message, "stylesheet": _stylesheet()}
        )
    except Exception:  # an error page must not fail; the original error is what matters
        logger.exception("Cannot render %s; serving the built-in page instead", template_name)
        return (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            "<title>Awesome Curator</title></head>"
            f"<body><h1>Awesome Curator</h1><p>{escape(message)}</p></body></html>"
        )


def _stylesheet() -> str:
    """The site's stylesheet (hashed name), or its plain name if the manifest is missing."""
    try:
        return static("css/site.css")
    except Exception:  # collectstatic has not run: whitenoise still serves the unhashed name
        return f"{settings.STATIC_URL}css/site.css"
