"""A visitor answers a change request through their private status link; the status link
reaches them by email; refused attempts cost no allowance; private addresses are refused
(issue 14, items 5 and 15)."""

from __future__ import annotations

import dataclasses
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from catalog.models import Entry
from curation import services
from curation.models import WorkflowEvent
from curation.public.models import Suggestion, token_for
from tests.factories import CuratedListFactory, EntryFactory, MembershipFactory, SectionFactory

pytestmark = pytest.mark.django_db
S = Entry.Status


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()  # the rate limit counts per address in the cache
    yield
    cache.clear()


@pytest.fixture
def section():
    return SectionFactory(curated_list=CuratedListFactory(slug="py"), title="Web")


@pytest.fixture
def reviewer(section):
    return MembershipFactory(curated_list=section.curated_list, role="reviewer").user


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


def answer_data(entry, **changes):
    data = {
        "url": entry.url,
        "title": entry.title,
        "description": entry.description,
        "section": entry.section_id,
        "note": "",
        "revision": entry.revision,
    }
    data.update(changes)
    return data


@pytest.fixture
def asked(client, section, reviewer):
    """A suggestion whose reviewer asked for changes: (status page path, entry)."""
    location = suggest(client, section)["Location"].split("?")[0]
    entry = Entry.objects.get(title="Bottle")
    entry.tags.add("web")  # what a reviewer added stays
    services.entry_request_changes(
        actor=reviewer, entry=entry, comment="Please say what makes it different."
    )
    entry.refresh_from_db()
    return location, entry


def test_the_status_page_offers_a_form_while_changes_are_requested(client, asked):
    location, entry = asked
    html = client.get(location).content.decode()
    assert "Please say what makes it different." in html
    assert 'id="resubmit-form"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'value="Bottle"' in html
    assert f'name="revision" value="{entry.revision}"' in html


def test_the_visitor_edits_and_resubmits_through_the_workflow(client, asked):
    location, entry = asked
    new = "A fast micro framework in a single file, with no dependencies."
    response = client.post(location, answer_data(entry, description=new, note="Said so."))
    assert response.status_code == 302
    assert response["Location"] == location + "?resent=1"
    entry.refresh_from_db()
    assert (entry.status, entry.description) == (S.SUBMITTED, new)
    assert sorted(entry.tags.names()) == ["web"]
    events = list(WorkflowEvent.objects.filter(entry=entry)[:2])
    assert [(e.action, e.actor, e.from_status, e.to_status) for e in events] == [
        ("submit", None, "changes_requested", "submitted"),
        ("edit", None, "changes_requested", "changes_requested"),
    ]
    assert "visitor who suggested it" in events[0].comment
    assert "Said so." in events[0].comment
    assert "visitor who suggested it" in events[1].comment
    assert "description" in events[1].comment
    versions = list(entry.history.order_by("-history_id")[:2])
    assert versions[1].description == new  # a complete version in the history
    assert [v.history_change_reason for v in versions] == [
        "Submitted by the visitor (status link)",
        "Edited by the visitor (status link)",
    ]
    page = client.get(response["Location"]).content.decode()
    assert "your changes are back in the review queue" in page
    assert 'id="resubmit-form"' not in page


def test_resubmitting_without_changes_is_allowed_and_records_no_edit(client, asked):
    location, entry = asked
    assert client.post(location, answer_data(entry, note="It fits as it is.")).status_code == 302
    entry.refresh_from_db()
    assert entry.status == S.SUBMITTED
    actions = list(WorkflowEvent.objects.filter(entry=entry).values_list("action", flat=True))
    assert actions[:2] == ["submit", "request_changes"]


def test_no_form_and_no_change_unless_changes_are_requested(client, section):
    location = suggest(client, section)["Location"].split("?")[0]
    entry = Entry.objects.get()
    assert 'id="resubmit-form"' not in client.get(location).content.decode()
    response = client.post(location, answer_data(entry, title="Bottle 2"))
    assert response.status_code == 302
    assert response["Location"] == location
    entry.refresh_from_db()
    assert (entry.title, entry.status) == ("Bottle", S.SUBMITTED)


def test_a_stale_answer_is_refused_with_a_message(client, asked, reviewer):
    location, entry = asked
    seen = entry.revision
    curator = MembershipFactory(curated_list=entry.curated_list, role="curator").user
    services.entry_update(
        actor=curator,
        entry=entry,
        content=dataclasses.replace(
            services.EntryContent.of(entry), title="Bottle.py", description="x"
        ),
    )
    response = client.post(location, answer_data(entry, title="Mine", revision=seen))
    assert response.status_code == 200
    assert "changed since you opened it" in response.content.decode()
    entry.refresh_from_db()
    assert (entry.title, entry.status) == ("Bottle.py", S.CHANGES_REQUESTED)


def test_an_answer_cannot_take_another_entrys_link_or_a_private_one(client, asked, section):
    location, entry = asked
    EntryFactory(section=section, url="https://flask.palletsprojects.com/", title="Flask")
    taken = client.post(location, answer_data(entry, url="https://flask.palletsprojects.com"))
    assert "already in the list as “Flask”" in taken.content.decode()
    private = client.post(location, answer_data(entry, url="http://10.1.2.3/admin"))
    assert "not a public address" in " ".join(private.context["form"].errors["url"])
    entry.refresh_from_db()
    assert (entry.url, entry.status) == ("https://bottlepy.org/", S.CHANGES_REQUESTED)


def test_a_section_of_another_list_is_refused(client, asked):
    location, entry = asked
    foreign = SectionFactory(curated_list=CuratedListFactory(slug="go"))
    response = client.post(location, answer_data(entry, section=foreign.pk))
    assert "section" in response.context["form"].errors
    entry.refresh_from_db()
    assert entry.status == S.CHANGES_REQUESTED


def test_another_token_changes_nothing(client, asked):
    _location, entry = asked
    wrong = reverse("suggest:status", args=["py", "x" * 32])
    assert client.post(wrong, answer_data(entry, title="Hijacked")).status_code == 404
    with pytest.raises(Exception, match="No suggestion has this link"):
        services.suggestion_resubmit(
            token="x" * 32,
            section=entry.section,
            title="Hijacked",
            url=entry.url,
            description="",
        )
    entry.refresh_from_db()
    assert entry.title == "Bottle"


def links_in(body):
    return re.findall(r"https?://\S+/lists/py/suggest/[\w-]+/", body)


def test_the_acknowledgement_email_carries_the_working_status_link(
    client, section, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        location = suggest(client, section)["Location"].split("?")[0]
    mine = [m for m in mail.outbox if m.to == ["reader@example.org"]]
    assert len(mine) == 1
    assert "Bottle" in mine[0].subject
    [link] = links_in(mine[0].body)
    assert link.endswith(location)
    path = "/" + link.split("/", 3)[3]
    assert client.get(path).status_code == 200


def test_no_acknowledgement_without_an_address(client, section, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        suggest(client, section, email="")
    assert all(m.to != [""] for m in mail.outbox)
    assert not [m for m in mail.outbox if "Thank you" in m.subject]


def test_decision_emails_carry_the_status_link(
    client, section, reviewer, django_capture_on_commit_callbacks
):
    location = suggest(client, section)["Location"].split("?")[0]
    entry = Entry.objects.get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_request_changes(actor=reviewer, entry=entry, comment="Say more.")
    [message] = [m for m in mail.outbox if m.to == ["reader@example.org"]]
    assert "Say more." in message.body
    assert "send it back" in message.body
    assert links_in(message.body)[0].endswith(location)
    entry.refresh_from_db()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(location, answer_data(entry, note="Done."))
    acknowledged = [m for m in mail.outbox if m.to == ["reader@example.org"]]
    assert len(acknowledged) == 1
    assert "Changes received" in acknowledged[0].subject
    assert links_in(acknowledged[0].body)[0].endswith(location)


def test_the_token_is_derived_again_from_the_stored_entry(client, section):
    location = suggest(client, section)["Location"].split("?")[0]
    entry = Entry.objects.get()
    assert location.endswith(f"/{token_for(entry)}/")
    assert Suggestion.objects.get().status_token() == token_for(entry)


def test_an_old_random_token_keeps_working_without_a_link_in_mail(section):
    from curation.public.models import absolute_status_url, token_digest

    entry = EntryFactory(section=section, status=S.SUBMITTED, source=Entry.Source.PUBLIC_FORM)
    Suggestion.objects.create(entry=entry, token_digest=token_digest(Suggestion.new_token()))
    assert absolute_status_url(entry) is None


def test_refused_attempts_do_not_use_up_the_allowance(client, section, settings):
    settings.SUGGESTION_RATE_LIMIT = (2, 3600)
    EntryFactory(section=section, url="https://taken.example/", title="Taken")
    for _ in range(3):
        assert suggest(client, section, url="https://taken.example/").status_code == 200
        assert suggest(client, section, url="javascript:alert(1)").status_code == 200
        assert suggest(client, section, url="http://127.0.0.1/").status_code == 200
        assert suggest(client, section, homepage="http://spam.example").status_code == 200
    assert suggest(client, section, url="https://a.example").status_code == 302
    assert suggest(client, section, url="https://b.example").status_code == 302
    assert suggest(client, section, url="https://c.example").status_code == 429
    # once limited, even a refused attempt gets the limit's answer
    assert suggest(client, section, url="https://taken.example/").status_code == 429


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/admin/",
        "http://localhost/",
        "http://LocalHost:8000/",
        "http://api.localhost/",
        "http://10.0.0.5/",
        "http://192.168.1.1/",
        "http://172.16.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://0.0.0.0/",
        "http://[::1]/",
        "http://[fd00::1]/",
        "http://[::ffff:127.0.0.1]/",
    ],
)
def test_loopback_and_private_addresses_are_refused(client, section, url):
    response = suggest(client, section, url=url)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["url"], errors
    assert "localhost" in errors["url"][0] or "not a public address" in errors["url"][0]
    assert not Entry.objects.exists()


def test_public_addresses_and_allowed_networks_pass(client, section, settings):
    assert suggest(client, section, url="http://93.184.216.34/").status_code == 302
    settings.OUTBOUND_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    assert suggest(client, section, url="http://10.0.0.5/", title="Internal").status_code == 302


@pytest.mark.parametrize("url", ["http://127.1/", "http://2130706433/", "http://0x7f.0.0.1/"])
def test_short_and_numeric_ipv4_forms_are_refused(client, section, url):
    assert list(suggest(client, section, url=url).context["form"].errors) == ["url"]
    assert not Entry.objects.exists()


@pytest.mark.parametrize(
    ("host", "refused"),
    [
        ("127.1", True),
        ("2130706433", True),
        ("0x7f.0.0.1", True),
        ("10.0.0.5", True),
        ("93.184.216.34", False),
        ("example.org", False),
        ("1password.com", False),
    ],
)
def test_private_host_problem_reads_literal_addresses_only(host, refused):
    from curation.public.forms import private_host_problem

    assert (private_host_problem(host) is not None) is refused
