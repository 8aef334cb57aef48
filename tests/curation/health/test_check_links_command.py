"""``manage.py check_links`` (curation/management/commands/check_links.py)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from catalog.models import LinkHealth
from tests.curation.health.servers import LocalServer, Reply
from tests.factories import CuratedListFactory, EntryFactory


@pytest.fixture(autouse=True)
def link_check_settings(settings):
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.LINK_CHECK = {**settings.LINK_CHECK, "TIMEOUT": 2.0, "RETRIES": 0}


@pytest.fixture
def server():
    with LocalServer() as running:
        yield running


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("check_links", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_checks_one_list_and_prints_the_summary(server):
    fine = EntryFactory(url=server.route("/fine", Reply(200)))
    gone = EntryFactory(section=fine.section, url=server.route("/gone", Reply(404)))
    elsewhere = EntryFactory(url=server.route("/elsewhere", Reply(200)))

    out, err = run("--list", fine.curated_list.slug, "--concurrency", "2")

    assert out.startswith("Checked 2 entries (2 distinct URLs) in ")
    assert "1 ok, 0 moved (permanent redirect), 1 failing, 0 dead;" in out
    assert err == ""  # no progress bar when stderr is not a terminal
    states = dict(LinkHealth.objects.values_list("entry", "state"))
    assert states == {fine.pk: "ok", gone.pk: "failing"}
    assert elsewhere.pk not in states


@pytest.mark.django_db
def test_every_list_without_list(server):
    EntryFactory(url=server.route("/a", Reply(200)))
    EntryFactory(url=server.route("/b", Reply(200)))

    out, _ = run()

    assert out.startswith("Checked 2 entries")
    assert LinkHealth.objects.count() == 2


@pytest.mark.django_db
def test_an_unknown_list_is_a_clear_error():
    CuratedListFactory(slug="awesome-go")

    with pytest.raises(
        CommandError, match=r"No list with slug 'awesome-rust' \(lists: awesome-go\)\."
    ):
        run("--list", "awesome-rust")


@pytest.mark.django_db
def test_concurrency_must_be_positive():
    with pytest.raises(CommandError, match="at least 1"):
        run("--concurrency", "0")


@pytest.mark.django_db
def test_enqueue_hands_the_check_to_a_task(server, settings):
    # The immediate backend (the tests' default) runs the task as it is enqueued.
    entry = EntryFactory(url=server.route("/queued", Reply(200)))

    out, _ = run("--enqueue", "--list", entry.curated_list.slug)

    assert out.startswith(f"Link check of list '{entry.curated_list.slug}' enqueued (task ")
    assert LinkHealth.objects.get(entry=entry).state == "ok"
