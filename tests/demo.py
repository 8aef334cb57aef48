"""Signing in as the demo accounts, for the admin tests (test client) and the browser tests."""

from __future__ import annotations

from curation.demo.data import DEMO_ACCOUNTS

PASSWORDS = {account.username: account.password for account in DEMO_ACCOUNTS}


def login(client, username: str):  # type: ignore[no-untyped-def]
    """Log the test client in as a demo account and return it."""
    assert client.login(username=username, password=PASSWORDS[username])
    return client


def sign_in(page, username: str) -> None:  # type: ignore[no-untyped-def]
    """Sign in through the admin's login form in the browser, as a person does."""
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORDS[username])
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
