"""schemathesis against the running API, through its own OpenAPI schema: for every operation,
generated requests — anonymous and with a superuser's token — get no 5xx, and every response
matches the schema (status code, content type, body). Bounded: a few examples per operation.

The requests go through the WSGI application in this process, so they see the test database;
half of them use the real slug and entry id of a small list (generated ones mostly 404).
"""

from __future__ import annotations

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from catalog.models import Entry
from tests.factories import (
    CuratedListFactory,
    EntryFactory,
    ExtraLinkFactory,
    FooterBlockFactory,
    MarkerFactory,
    SectionFactory,
    UserFactory,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


# Loaded at collection (pytest-django has set Django up by then; the schema view reads no
# database). schemathesis' lazy ``from_fixture`` does not work with pytest 9 yet.
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.fixture
def demo(db):
    """A small list with an entry in each of a few states (load_demo costs a second a test)."""
    curated_list = CuratedListFactory(slug="awesome-demo")
    marker = MarkerFactory(curated_list=curated_list)
    FooterBlockFactory(curated_list=curated_list)
    section = SectionFactory(parent=SectionFactory(curated_list=curated_list))
    entry = EntryFactory(section=section, tags=["MIT"], markers=[marker])
    ExtraLinkFactory(entry=entry)
    EntryFactory(section=section, url="")
    EntryFactory(section=section, status=Entry.Status.SUBMITTED)
    return curated_list.slug, entry.pk


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """schemathesis calls the WSGI application directly, so each request ends with Django's
    close_old_connections, which on PostgreSQL would close the test's connection in the middle
    of its transaction. Django's test client disconnects it the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(db):
    user = UserFactory(is_superuser=True, is_staff=True)
    return Token.objects.create(user=user).key


BOUNDS = hypothesis.settings(
    max_examples=5,
    deadline=None,
    database=None,  # no .hypothesis/ folder in the work tree
    derandomize=True,  # the same requests on every run: a failure reproduces
    suppress_health_check=list(hypothesis.HealthCheck),
)


def call(case, demo, headers):
    slug, entry_id = demo
    # Half the cases address the demo list and one of its entries, so that the 200s (and, for
    # the superuser, the writes) are exercised too, not only the 404s of generated slugs.
    if case.path_parameters and hash(repr(sorted(case.path_parameters.items()))) % 2 == 0:
        if "slug" in case.path_parameters:
            case.path_parameters["slug"] = slug
        if "id" in case.path_parameters:
            case.path_parameters["id"] = entry_id
    case.call_and_validate(headers=headers, checks=CHECKS)


@pytest.mark.django_db
@schema.parametrize()
@BOUNDS
def test_anonymous(case, demo):
    call(case, demo, {})


@pytest.mark.django_db
@schema.parametrize()
@BOUNDS
def test_authenticated(case, demo, token):
    call(case, demo, {"Authorization": f"Token {token}"})
