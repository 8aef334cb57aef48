"""Sign-in throttling (django-axes): a username is locked from one address after repeated wrong
passwords, with a page that says when to try again; nobody else is locked out with it."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-enough-secret"
ATTACKER = "203.0.113.7"
ELSEWHERE = "198.51.100.20"


@pytest.fixture
def curator():
    return UserFactory(username="curator1", is_staff=True, is_superuser=True, password=PASSWORD)


def sign_in(client, username: str, password: str, address: str = ATTACKER, **headers):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        **headers,
    )


def fail(client, username: str, times: int, address: str = ATTACKER, **headers) -> list[int]:  # type: ignore[no-untyped-def]
    return [
        sign_in(client, username, "wrong password", address, **headers).status_code
        for _ in range(times)
    ]


def test_wrong_passwords_lock_that_username_from_that_address(client, curator, settings):
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    assert fail(client, "curator1", limit - 1) == [200] * (limit - 1)  # the form, with an error
    locked = sign_in(client, "curator1", "wrong password")
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Too many failed sign-ins" in html
    assert "paused for 15 minutes" in html
    assert "Try again after" in html
    assert locked["Retry-After"] == "900"
    # Even the right password is refused while the lock holds.
    assert sign_in(client, "curator1", PASSWORD).status_code == 429


def test_nobody_else_is_locked_out_with_them(client, curator):
    other = UserFactory(username="reviewer1", is_staff=True, is_superuser=True, password=PASSWORD)
    fail(client, "curator1", 5)
    assert sign_in(client, "curator1", PASSWORD).status_code == 429
    # The curator, from their own address: in.
    assert sign_in(Client(), "curator1", PASSWORD, ELSEWHERE).status_code == 302
    # Another account, from the attacker's address: in.
    assert sign_in(Client(), other.username, PASSWORD).status_code == 302


def test_the_lock_lifts_after_the_cool_off(client, curator, time_machine):
    start = dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)
    time_machine.move_to(start)
    fail(client, "curator1", 5)
    time_machine.move_to(start + dt.timedelta(minutes=15, seconds=1))
    assert sign_in(client, "curator1", PASSWORD).status_code == 302


def test_an_attempt_during_the_lock_starts_the_wait_again(client, curator, time_machine):
    start = dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)
    time_machine.move_to(start)
    fail(client, "curator1", 5)
    time_machine.move_to(start + dt.timedelta(minutes=14))
    assert sign_in(client, "curator1", PASSWORD).status_code == 429
    time_machine.move_to(start + dt.timedelta(minutes=15, seconds=1))
    assert sign_in(client, "curator1", PASSWORD).status_code == 429
    time_machine.move_to(start + dt.timedelta(minutes=30, seconds=2))
    assert sign_in(client, "curator1", PASSWORD).status_code == 302


def test_a_successful_sign_in_forgets_the_failures_before_it(client, curator):
    fail(client, "curator1", 4)
    assert sign_in(Client(), "curator1", PASSWORD).status_code == 302
    assert fail(client, "curator1", 4) == [200] * 4


def test_an_administrator_unlocks_with_axes_reset(client, curator):
    fail(client, "curator1", 5)
    assert sign_in(client, "curator1", PASSWORD).status_code == 429
    call_command("axes_reset", stdout=StringIO())
    assert sign_in(client, "curator1", PASSWORD).status_code == 302


def test_x_forwarded_for_is_ignored_without_a_trusted_proxy(client, curator):
    """Otherwise an attacker would name a fresh address per attempt and never be locked."""
    for n in range(5):
        sign_in(client, "curator1", "wrong password", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert sign_in(client, "curator1", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == (
        429
    )


def test_behind_a_trusted_proxy_the_forwarded_address_counts(client, curator, settings):
    """Two visitors behind one load balancer (one REMOTE_ADDR) are told apart."""
    settings.PROXY_COUNT = 1
    proxy = "10.0.0.2"
    fail(client, "curator1", 5, proxy, HTTP_X_FORWARDED_FOR=f"spoofed, {ATTACKER}")
    locked = sign_in(client, "curator1", PASSWORD, proxy, HTTP_X_FORWARDED_FOR=ATTACKER)
    assert locked.status_code == 429
    other = sign_in(Client(), "curator1", PASSWORD, proxy, HTTP_X_FORWARDED_FOR=ELSEWHERE)
    assert other.status_code == 302


def test_api_tokens_and_sessions_still_authenticate(client, curator):
    token = Token.objects.create(user=curator)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/lists/").status_code == 200
    assert sign_in(client, "curator1", PASSWORD).status_code == 302
    assert client.get("/api/lists/").status_code == 200


def test_api_throttle_counts_the_real_address_not_x_forwarded_for(settings):
    """DRF believes X-Forwarded-For unless NUM_PROXIES says how many proxies to trust."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/hour", "user": None},
    }
    from django.core.cache import cache

    cache.clear()
    api = APIClient()
    codes = [
        api.get(
            "/api/lists/", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}", REMOTE_ADDR=ATTACKER
        ).status_code
        for n in range(4)
    ]
    cache.clear()
    assert codes == [200, 200, 200, 429]
