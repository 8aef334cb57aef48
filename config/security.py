"""Sign-in throttling glue for django-axes: who the client is, and what a locked-out person sees.

Settings point at these (``AXES_CLIENT_IP_CALLABLE``, ``AXES_LOCKOUT_CALLABLE``); see
docs/security.md.
"""

from __future__ import annotations

import math
from typing import Any

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

LOCKOUT_TEMPLATE = "admin/lockout.html"


def client_ip(request: HttpRequest) -> str:
    """The client's address: ``REMOTE_ADDR``, or behind ``PROXY_COUNT`` trusted reverse
    proxies the address the outermost of them saw, counted from the right of
    X-Forwarded-For (what DRF's ``NUM_PROXIES`` does for the API throttles)."""
    remote = str(request.META.get("REMOTE_ADDR") or "")
    count = getattr(settings, "PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
        if part.strip()
    ]
    if not forwarded:
        return remote
    return forwarded[-min(count, len(forwarded))]


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """429 with a page that says when signing in works again (and a Retry-After header).

    Every attempt during the lockout restarts the cool-off (django-axes' default), so "now plus
    the cool-off" is exactly when the next attempt will be accepted.
    """
    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else 0
    context = {
        **admin.site.each_context(request),
        "title": "Too many failed sign-ins",
        "minutes": math.ceil(seconds / 60),
        "retry_at": timezone.localtime() + cool_off if cool_off else None,
    }
    response = render(request, LOCKOUT_TEMPLATE, context, status=429)  # Too Many Requests
    if seconds:
        response["Retry-After"] = str(seconds)
    return response
