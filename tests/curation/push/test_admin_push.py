"""Repository publishing on the list's admin page: curators set it up, everyone sees how the
last push went, and the page warns before the README reaches GitHub's limit."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.export import export_files
from catalog.models import CuratedList
from curation.push.models import ListRepository, PushAttempt, PushMethod, PushState
from tests.demo import login
from tests.htmlforms import form_data

pytestmark = pytest.mark.django_db


def change_url(curated_list: CuratedList) -> str:
    return reverse("admin:catalog_curatedlist_change", args=[curated_list.pk])


def form_with_repository(client, curated_list, **fields):
    page = client.get(change_url(curated_list))
    assert page.status_code == 200
    data = form_data(page.content.decode(), "curatedlist_form")
    data.update(
        {
            "publishing-TOTAL_FORMS": "1",
            "publishing-INITIAL_FORMS": "0",
            "publishing-0-enabled": "on",
            "publishing-0-method": PushMethod.GIT,
            "publishing-0-branch": "main",
            "publishing-0-readme_path": "README.md",
            "publishing-0-contributing_path": "contributing.md",
            "publishing-0-curated_list": str(curated_list.pk),
        }
    )
    data.update({f"publishing-0-{name}": value for name, value in fields.items()})
    return data


def test_a_curator_names_the_lists_repository(client, demo):
    client = login(client, "curator")
    data = form_with_repository(
        client, demo, git_url="https://github.com/tea-lovers/awesome-tea.git"
    )
    response = client.post(change_url(demo), data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    repository = ListRepository.objects.get(curated_list=demo)
    assert repository.git_url == "https://github.com/tea-lovers/awesome-tea.git"
    assert repository.state == PushState.NEVER


def test_a_password_in_the_url_is_refused_with_a_message(client, demo):
    client = login(client, "curator")
    data = form_with_repository(client, demo, git_url="https://me:hunter2@github.com/o/r.git")
    response = client.post(change_url(demo), data)
    assert response.status_code == 200
    assert "Do not put a user name or password in the URL" in response.content.decode()
    assert not ListRepository.objects.exists()


@pytest.mark.parametrize("username", ["reviewer", "contributor", "section-editor"])
def test_other_members_cannot_set_it(client, demo, username):
    client = login(client, username)
    page = client.get(change_url(demo))
    assert page.status_code == 200
    assert b'name="publishing-0-git_url"' not in page.content


def test_the_last_failure_is_shown_where_the_curator_works(client, demo):
    repository = ListRepository.objects.create(
        curated_list=demo, git_url="https://github.com/tea-lovers/awesome-tea.git"
    )
    now = timezone.now()
    repository.state = PushState.FAILED
    repository.last_error = "GitHub refused the token (401 Bad credentials)."
    repository.failures = 2
    repository.next_retry_at = now + timezone.timedelta(minutes=2)
    repository.last_attempt_at = now
    repository.save(
        update_fields=["state", "last_error", "failures", "next_retry_at", "last_attempt_at"]
    )
    PushAttempt.objects.create(
        repository=repository,
        trigger=PushAttempt.Trigger.CHANGE,
        state=PushState.FAILED,
        started_at=now,
        finished_at=now,
        error=repository.last_error,
    )
    html = login(client, "reviewer").get(change_url(demo)).content.decode()
    assert "The last push of the README to https://github.com/tea-lovers/awesome-tea.git" in html
    assert html.count("GitHub refused the token (401 Bad credentials).") >= 3  # message, state, log
    assert "2 failed attempts in a row" in html


def test_no_warning_for_a_list_of_ordinary_size(client, demo):
    html = login(client, "curator").get(change_url(demo)).content.decode()
    assert "display limit" not in html


def test_the_page_warns_from_90_percent_of_githubs_limit(client, demo):
    demo.intro = "x" * 470_000  # the README grows past 460,800 bytes (90%)
    demo.save()
    size = len(export_files(demo)["README.md"].encode())
    assert 460_800 <= size <= 512_000
    html = login(client, "curator").get(change_url(demo)).content.decode()
    share = f"{size / 512_000:.0%}"
    assert f"README.md is {size:,} bytes, {share} of GitHub&#x27;s display limit" in html


def test_over_the_limit_the_page_says_it_will_not_be_pushed(client, demo):
    demo.intro = "x" * 520_000
    demo.save()
    html = login(client, "curator").get(change_url(demo)).content.decode()
    assert "over GitHub&#x27;s display limit of 512,000 bytes: it will not be pushed" in html


def push_url(curated_list: CuratedList) -> str:
    return reverse("admin:catalog_curatedlist_push_readme", args=[curated_list.pk])


def test_push_now_from_the_lists_page(client, demo, remote, push_settings):
    ListRepository.objects.create(curated_list=demo, git_url=remote.url)
    client = login(client, "curator")
    page = client.get(change_url(demo)).content.decode()
    assert "Push README now" in page
    assert client.get(push_url(demo)).status_code == 405  # a change is a POST
    response = client.post(push_url(demo), follow=True)
    html = response.content.decode()
    assert "Pushed: " in html
    assert remote.log()[0] == "Regenerate README"
    assert remote.show("README.md") == export_files(demo)["README.md"].encode()
    attempt = PushAttempt.objects.get()
    assert attempt.trigger == PushAttempt.Trigger.ADMIN


def test_after_a_conflict_the_button_replaces_the_branchs_readme(
    client, demo, remote, push_settings
):
    ListRepository.objects.create(curated_list=demo, git_url=remote.url)
    client = login(client, "curator")
    client.post(push_url(demo))
    remote.commit_as_someone({"README.md": "# Edited on GitHub\n"}, "Merge PR #3")
    demo.tagline = "Changed here too."
    demo.save()
    html = client.post(push_url(demo), follow=True).content.decode()
    assert "was changed outside Awesome Curator" in html
    assert remote.log()[0] == "Merge PR #3"
    assert "Push README, replacing the branch" in html
    client.post(push_url(demo), {"force": "1"})
    assert remote.show("README.md") == export_files(demo)["README.md"].encode()


@pytest.mark.parametrize("username", ["reviewer", "section-editor"])
def test_only_list_wide_curators_push(client, demo, remote, push_settings, username):
    ListRepository.objects.create(curated_list=demo, git_url=remote.url)
    client = login(client, username)
    assert "Push README now" not in client.get(change_url(demo)).content.decode()
    assert client.post(push_url(demo)).status_code == 403
    assert remote.log() == ["Initial list"]
