"""Background work on django-tasks: immediate in tests and the embedded default; with the
database backend, queued rows that ``db_worker`` runs — no other service needed."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django_tasks import task_backends
from django_tasks_db.models import DBTaskResult

from catalog.export import export_files
from catalog.models import Entry
from curation import services, tasks

S = Entry.Status
DATABASE_BACKEND = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE_BACKEND
    return
    # the fixture's settings are restored after the test; the backend follows (setting_changed)


def run_worker():
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def test_tests_and_the_embedded_default_run_tasks_at_once(db):
    assert type(task_backends["default"]).__name__ == "ImmediateBackend"


@pytest.mark.django_db(transaction=True)
def test_a_submission_email_waits_for_the_worker(team, database_tasks):
    entry = team.entry(S.DRAFT)
    services.entry_submit(actor=team.author, entry=entry)
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "curation.tasks.notify_reviewers_task"
    assert mail.outbox == []  # nothing sent by the request itself
    run_worker()
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        u.email for u in (team.reviewer, team.reviewer2, team.curator)
    )


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_enqueues_nothing(team, database_tasks):
    from django.db import transaction

    entry = team.entry(S.DRAFT)

    def submit_then_fail():
        with transaction.atomic():
            services.entry_submit(actor=team.author, entry=entry)
            raise RuntimeError("the request failed after the submit")

    with pytest.raises(RuntimeError):
        submit_then_fail()
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_publishing_rewrites_the_readme_in_the_export_folder(
    team, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.README_EXPORT_DIR = str(tmp_path)
    entry = team.approved(title="Freshly published")
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_publish(actor=team.curator, entry=entry)
    folder = tmp_path / team.curated_list.slug
    expected = export_files(team.curated_list)
    assert {p.name for p in folder.iterdir()} == set(expected)
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert readme == expected["README.md"]
    assert "Freshly published" in readme


@pytest.mark.django_db
def test_without_an_export_folder_nothing_is_written(team, settings, tmp_path):
    settings.README_EXPORT_DIR = ""
    assert tasks.regenerate_readme_task.call(team.curated_list.pk) == []


@pytest.mark.django_db
def test_regenerate_readmes_command(team, settings, tmp_path):
    settings.README_EXPORT_DIR = ""
    with pytest.raises(CommandError, match="README_EXPORT_DIR is not set"):
        call_command("regenerate_readmes")
    settings.README_EXPORT_DIR = str(tmp_path)
    with pytest.raises(CommandError, match='No list "nope"'):
        call_command("regenerate_readmes", list_slug="nope")
    call_command("regenerate_readmes", list_slug=team.curated_list.slug, verbosity=0)
    assert (tmp_path / team.curated_list.slug / "README.md").read_text(
        encoding="utf-8"
    ) == export_files(team.curated_list)["README.md"]


@pytest.mark.django_db(transaction=True)
def test_regenerate_readmes_enqueue_hands_the_work_to_the_worker(
    team, settings, tmp_path, database_tasks
):
    settings.README_EXPORT_DIR = str(tmp_path)
    call_command("regenerate_readmes", enqueue=True, verbosity=0)
    assert (
        DBTaskResult.objects.filter(task_path="curation.tasks.regenerate_readme_task").count() >= 1
    )
    assert not (tmp_path / team.curated_list.slug).exists()
    run_worker()
    assert (tmp_path / team.curated_list.slug / "README.md").exists()


@pytest.mark.django_db(transaction=True)
def test_a_link_check_queued_from_cron_runs_in_the_worker(settings, database_tasks):
    from catalog.models import LinkHealth
    from tests.curation.health.servers import LocalServer, Reply
    from tests.factories import EntryFactory

    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.LINK_CHECK = {**settings.LINK_CHECK, "TIMEOUT": 2.0, "RETRIES": 0}
    with LocalServer() as server:
        entry = EntryFactory(url=server.route("/alive", Reply(200)))
        call_command("check_links", enqueue=True, list_slug=entry.curated_list.slug, verbosity=0)
        queued = DBTaskResult.objects.get()
        assert queued.task_path == "curation.tasks.check_links_task"
        assert not LinkHealth.objects.exists()
        run_worker()
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    assert queued.return_value["ok"] == 1
    assert LinkHealth.objects.get(entry=entry).state == "ok"
