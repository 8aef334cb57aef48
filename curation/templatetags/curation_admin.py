"""The review queue on the admin index: counts of what waits for the signed-in user."""

from __future__ import annotations

from typing import Any

from django import template

from curation.access import access_for
from curation.queue import counts

register = template.Library()


@register.inclusion_tag("admin/review_queue.html", takes_context=True)
def review_queue(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return {"queue": None}
    access = access_for(request)
    if not (access.is_superuser or access.memberships):
        return {"queue": None}
    return {"queue": counts(access)}
