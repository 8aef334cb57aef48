"""What a member reads through the catalog API beyond the published entries: every entry of
the sections their roles reach (``curation.access``), registered with
``catalog.api.visibility`` in ``CurationConfig.ready``."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from curation.access import access_for
from curation.models import Role


def member_entries(request: Any) -> Q:
    # access_for caches the Access on the (DRF) request: its user is the token's or the
    # session's, whichever authenticated the request.
    return access_for(request).scope_q(Role.CONTRIBUTOR, section_field="section")
