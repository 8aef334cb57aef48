"""The headers and cookies production answers with, on the public pages, the API and the admin.

The settings are read from a production start-up (DEBUG off, the environment of .env.example's
required variables only, in a subprocess), then applied to the test client's requests: what is
checked is what the deployed site sends, not values typed into the test. (``manage.py check
--deploy`` on the same settings: tests/config/test_settings.py.)
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.test import Client, override_settings

from tests.conftest import REPO_ROOT
from tests.factories import CuratedListFactory, EntryFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db

SETTINGS = [
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_SAMESITE",
    "CONTENT_SECURITY_POLICY",
]
STRICT = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> dict:
    """The security settings of a production start-up."""
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n) for n in {SETTINGS!r}}}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env = {
        **clean,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "curator.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('prod') / 'db.sqlite3'}",
    }
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def site(production):
    """A client for a site configured as in production (requests say secure=True: HTTPS)."""
    with override_settings(**production):
        yield Client()


@pytest.fixture
def curated_list():
    curated_list = CuratedListFactory(slug="headers")
    EntryFactory(section=SectionFactory(curated_list=curated_list), tags=["MIT"])
    return curated_list


def policy(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


def test_production_settings_are_the_safe_ones(production):
    assert production["DEBUG"] is False
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SECURE"] is True


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/lists/headers/",
        "/lists/headers/search/?q=tool",
        "/lists/headers/tags/mit/",
        "/lists/headers/suggest/",
        "/lists/headers/feed.atom",
        "/lists/headers/feed.json",
        "/lists/headers/README.md",
        "/api/lists/",
        "/api/lists/headers/document/",
        "/api/docs/",
        "/admin/login/",
    ],
)
def test_every_kind_of_answer_carries_the_security_headers(site, curated_list, path):
    response = site.get(path, secure=True)
    assert response.status_code == 200, path
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    directives = policy(response)
    for name, value in STRICT.items():
        if path == "/lists/headers/" and name == "img-src":
            # Curators' prose on the list page may show https images (docs/security.md).
            assert directives[name] == "'self' data: https:"
        else:
            assert directives[name] == value, (path, name)
    assert "unsafe" not in response["Content-Security-Policy"]


def test_only_redoc_gets_its_exceptions(site):
    directives = policy(site.get("/api/redoc/", secure=True))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self' 'unsafe-inline'"
    assert directives["worker-src"] == "'self' blob:"
    assert directives["img-src"] == "'self' data: https://cdn.redoc.ly"


def test_plain_http_is_sent_to_https_except_the_health_check(production, curated_list):
    with override_settings(**production):
        http = Client()
        response = http.get("/lists/headers/")
        assert response.status_code == 301
        assert response["Location"] == "https://testserver/lists/headers/"
        assert http.get("/healthz").status_code == 200


def test_cookies_are_secure_http_only_and_same_site(site):
    user = UserFactory(is_staff=True, is_superuser=True, password="a-long-enough-secret")
    login = site.get("/admin/login/", secure=True)
    csrf = login.cookies["csrftoken"]
    assert csrf["secure"]
    assert csrf["samesite"] == "Lax"
    response = site.post(
        "/admin/login/",
        {"username": user.username, "password": "a-long-enough-secret", "next": "/admin/"},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"]
    assert session["httponly"]
    assert session["samesite"] == "Lax"
