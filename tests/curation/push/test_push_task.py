"""The push as background work: after a change with the task worker, and retries that wait in
the queue until they are due."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from curation.push.models import PushAttempt, PushState
from curation.tasks import push_readme_task
from tests.curation.push.conftest import publish

DATABASE_BACKEND = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}


def run_worker():
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_a_change_is_pushed_by_the_worker_and_a_failure_waits_for_its_retry(
    team, remote, repository, settings, tmp_path
):
    settings.TASKS = DATABASE_BACKEND
    publish(team, "Gongfu Timer")  # after commit: the push is queued, not done
    queued = DBTaskResult.objects.get(task_path="curation.tasks.push_readme_task")
    assert remote.log() == ["Initial list"]
    run_worker()
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    assert remote.log()[0] == "Add Gongfu Timer"

    repository.git_url = str(tmp_path / "unreachable.git")
    repository.save()
    publish(team, "Leaf Scale")
    run_worker()
    repository.refresh_from_db()
    assert repository.state == PushState.FAILED
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.args_kwargs["args"] == [team.curated_list.pk, "retry"]
    assert retry.run_after == repository.next_retry_at
    assert retry.run_after > timezone.now()  # it waits: the worker does not run it yet
    run_worker()
    assert repository.attempts.count() == 2

    # The repository is back; the retry, once due, pushes what failed.
    repository.git_url = remote.url
    repository.save()
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    type(repository).objects.filter(pk=repository.pk).update(next_retry_at=timezone.now())
    run_worker()
    repository.refresh_from_db()
    assert repository.state == PushState.PUSHED
    assert remote.log()[0] == "Add Leaf Scale"
    assert repository.attempts.first().trigger == PushAttempt.Trigger.RETRY


def test_a_retry_that_is_no_longer_due_does_nothing(team, remote, repository):
    publish(team, "Gongfu Timer")
    result = push_readme_task.call(team.curated_list.pk, "retry")
    assert result == {"state": "retry not due"}
    assert remote.log() == ["Initial list"]
    assert not repository.attempts.exists()
