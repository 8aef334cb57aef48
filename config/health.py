"""A health check for load balancers: 200 while the database answers, 503 when it does not.

The cache is reported too, but does not fail the check: without Redis the site still answers
every page, uncached (config/cache.py), so taking every app server out of the balancer would
turn a slower site into no site. ``"status": "degraded"`` says it for monitoring.
"""

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse

from config.cache import reachable


def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    if not reachable(cache):
        return JsonResponse({"status": "degraded", "database": "ok", "cache": "unreachable"})
    return JsonResponse({"status": "ok", "database": "ok", "cache": "ok"})
