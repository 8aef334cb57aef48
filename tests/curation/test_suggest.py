"""The public "suggest a link" form: into the review queue through the workflow service, with
a private status link; bounded, http(s) only, duplicates named, bots stopped quietly."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from catalog.models import Entry
from curation import services
from curation.models import WorkflowEvent
from curation.public.models import Suggestion
from tests.factories import CuratedListFactory, EntryFactory, MembershipFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()  # the rate limit counts per address in the cache
    yield
    cache.clear()


@pytest.fixture
def section():
    return SectionFactory(curated_list=CuratedListFactory(slug="py"), title="Web")


def form_data(section, **changes):
    data = {
        "url": "https://bottlepy.org/",
        "title": "Bottle",
        "description": "A fast, simple micro framework.",
        "section": section.pk,
        "email": "reader@example.org",
        "homepage": "",
    }
    data.update(changes)
    return data


def suggest(client, section, **changes):
    return client.post(reverse("suggest:create", args=["py"]), form_data(section, **changes))


def test_form_is_labelled_and_needs_no_account(client, section):
    response = client.get(reverse("suggest:create", args=["py"]))
    html = response.content.decode()
    assert response.status_code == 200
    for name in ("url", "title", "description", "section", "email"):
        assert f'<label for="id_{name}">' in html
    assert 'class="hp" aria-hidden="true"' in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_suggestion_enters_the_review_queue_with_a_private_status_link(client, section):
    response = suggest(client, section)
    assert response.status_code == 302
    entry = Entry.objects.get(title="Bottle")
    assert (entry.status, entry.source, entry.submitter_email, entry.submitted_by) == (
        Entry.Status.SUBMITTED,
        Entry.Source.PUBLIC_FORM,
        "reader@example.org",
        None,
    )
    # through the workflow service: its audit trail records the creation and the submission
    assert list(WorkflowEvent.objects.filter(entry=entry).values_list("action", flat=True)) == [
        "submit",
        "create",
    ]
    token = response["Location"].split("/suggest/")[1].split("/")[0]
    assert len(token) >= 32
    assert Suggestion.objects.get(entry=entry).token_digest != token  # only a digest is kept
    status = client.get(response["Location"])
    assert "Waiting for review" in status.content.decode()
    assert token in status.content.decode()
    assert status["X-Robots-Tag"] == "noindex, nofollow"


def test_status_link_follows_the_decisions(client, section):
    location = suggest(client, section)["Location"]
    entry = Entry.objects.get(title="Bottle")
    reviewer = MembershipFactory(curated_list=section.curated_list, role="reviewer").user
    services.entry_reject(actor=reviewer, entry=entry, comment="Out of scope for this list.")
    html = client.get(location).content.decode()
    assert "Not accepted" in html
    assert "Out of scope for this list." in html


def test_a_wrong_token_or_another_lists_token_is_404(client, section):
    location = suggest(client, section)["Location"]
    assert client.get(reverse("suggest:status", args=["py", "x" * 32])).status_code == 404
    CuratedListFactory(slug="go")
    assert client.get(location.replace("/lists/py/", "/lists/go/")).status_code == 404


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "ftp://example.org/file", "data:text/html,hi", "mailto:a@b.org"],
)
def test_only_http_links_can_be_suggested(client, section, url):
    response = suggest(client, section, url=url)
    assert response.status_code == 200
    assert response.context["form"].errors["url"]
    assert not Entry.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "x" * 121),
        ("title", " "),
        ("description", "x" * 501),
        ("url", "https://example.org/" + "a" * 2100),
        ("email", "not-an-address"),
    ],
)
def test_lengths_and_formats_are_bounded(client, section, field, value):
    response = suggest(client, section, **{field: value})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Entry.objects.exists()


def test_a_section_of_another_list_is_refused(client, section):
    foreign = SectionFactory(curated_list=CuratedListFactory(slug="go"))
    data = {**form_data(section), "section": foreign.pk}
    response = client.post(reverse("suggest:create", args=["py"]), data)
    assert "section" in response.context["form"].errors


def test_duplicate_of_a_live_entry_is_refused_with_a_link_to_it(client, section):
    live = EntryFactory(section=section, url="https://www.bottlepy.org", title="Bottle.py")
    response = suggest(client, section, url="http://bottlepy.org/?utm_source=x")
    html = response.content.decode()
    assert "already in the list as “Bottle.py”" in html
    assert f'href="{live.get_absolute_url()}"' in html
    assert Entry.objects.count() == 1


def test_duplicate_of_a_pending_entry_is_refused(client, section):
    suggest(client, section)
    response = suggest(client, section, title="Bottle again", email="other@example.org")
    html = response.content.decode()
    assert "already suggested (“Bottle”) and is waiting for review" in html
    assert f'href="/lists/py/#{section.anchor}"' in html
    assert Entry.objects.count() == 1


def test_honeypot_thanks_the_bot_and_stores_nothing(client, section):
    response = suggest(client, section, homepage="http://spam.example")
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    assert not Entry.objects.exists()


def test_rate_limit_per_address(client, section, settings):
    settings.SUGGESTION_RATE_LIMIT = (2, 3600)
    assert suggest(client, section, url="https://a.example").status_code == 302
    assert suggest(client, section, url="https://b.example").status_code == 302
    limited = suggest(client, section, url="https://c.example")
    assert limited.status_code == 429
    assert "Too many suggestions" in limited.content.decode()
    assert Entry.objects.count() == 2
    other = client.post(
        reverse("suggest:create", args=["py"]),
        form_data(section, url="https://d.example"),
        REMOTE_ADDR="10.0.0.9",
    )
    assert other.status_code == 302


def test_suggestion_without_email_goes_through(client, section):
    response = suggest(client, section, email="")
    assert response.status_code == 302
    entry = Entry.objects.get()
    assert entry.submitter_email == ""
    assert entry.status == Entry.Status.SUBMITTED


def test_rate_limit_behind_a_load_balancer(client, section, settings):
    """Behind DJANGO_PROXY_COUNT proxies each visitor has their own limit; without that
    setting a forged X-Forwarded-For buys nothing."""
    settings.SUGGESTION_RATE_LIMIT = (1, 3600)
    url = reverse("suggest:create", args=["py"])

    def post(forwarded, n):
        return client.post(
            url,
            form_data(section, url=f"https://lb{n}.example"),
            REMOTE_ADDR="10.0.0.2",  # the balancer
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    assert post("203.0.113.7", 1).status_code == 302
    assert post("198.51.100.4", 2).status_code == 429  # no proxy trusted: one address, one limit
    settings.PROXY_COUNT = 1
    cache.clear()
    assert post("203.0.113.7", 3).status_code == 302
    assert post("198.51.100.4", 4).status_code == 302  # another visitor
    assert post("203.0.113.7", 5).status_code == 429  # the first one again
