"""``manage.py backup`` / ``restore``: what comes back is what was there, byte for byte.

The site under test holds the demo list, a real corpus list imported by the importer, and a row
in every table the demo leaves empty (link health, repository information, API tokens, groups
and permissions, admin log, audit trail, suggestions, notification preferences). Compared
before and after: every list's exported files, its list document as the API serves it, and
every backed-up row (histories and password hashes included).
"""

from __future__ import annotations

import gzip
import json
import threading
from pathlib import Path
from typing import Any

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from catalog.export import export_files
from catalog.importer import read_readme, store_document
from catalog.models import CuratedList, Entry, LinkHealth, RepositoryInfo
from curation import backup as backup_module
from curation.backup import EXCLUDED, backed_up_models, dump_rows, encode, excluded_reason
from curation.models import (
    Action,
    Claim,
    ClaimEnd,
    NotificationPreference,
    QueueSettings,
    WorkflowEvent,
)
from curation.public.models import Suggestion, token_digest
from curation.push.models import ListRepository, PushAttempt, PushMethod, PushState
from curation.quality.models import QualityCheck, QualityRules
from tests.conftest import CORPUS, require_or_skip
from tests.subprocesses import dev_env, manage, scratch_postgres

pytestmark = pytest.mark.django_db(transaction=True)

CORPUS_LIST = CORPUS / "wsvincent__awesome-django.md"
# Tables the site as set up here leaves empty: taggit's generic tag table (entries use their own).
EMPTY_HERE = {"taggit.taggeditem"}


def import_corpus_list() -> None:
    require_or_skip(CORPUS_LIST.is_file(), f"the corpus is not at {CORPUS}")
    doc, _ = read_readme(CORPUS_LIST.read_bytes())
    store_document(doc, slug="awesome-django")


def add_the_rest() -> None:
    """A row in each table the demo and the import leave empty."""
    admin = User.objects.get(username="admin")
    contributor = User.objects.get(username="contributor")
    entry = Entry.objects.filter(curated_list__slug="awesome-django").order_by("pk").first()
    assert entry is not None
    now = timezone.now()
    LinkHealth.objects.create(
        entry=entry,
        state=LinkHealth.State.REDIRECTED,
        checked_url=entry.url,
        status_code=301,
        final_url=entry.url + "moved/",
        redirect_to=entry.url + "moved/",
        checked_at=now,
        last_ok_at=now,
    )
    RepositoryInfo.objects.create(
        entry=entry,
        forge=RepositoryInfo.Forge.GITHUB,
        host="github.com",
        full_name="example/project",
        url="https://github.com/example/project",
        stars=1234,
        last_activity_at=now,
        license="MIT",
        fetched_at=now,
    )
    Token.objects.create(user=contributor)
    editors = Group.objects.create(name="Editors")
    editors.permissions.set(Permission.objects.filter(codename__in=["change_entry", "view_entry"]))
    contributor.groups.add(editors)
    contributor.user_permissions.add(Permission.objects.get(codename="add_entry"))
    LogEntry.objects.create(
        user=admin,
        content_type=ContentType.objects.get_for_model(Entry),
        object_id=str(entry.pk),
        object_repr=str(entry)[:200],
        action_flag=CHANGE,
        change_message="Changed the description.",
    )
    WorkflowEvent.objects.create(
        entry=entry,
        actor=admin,
        action=Action.COMMENT,
        from_status=entry.status,
        to_status=entry.status,
        comment="Still maintained?",
        entry_revision=entry.revision,
    )
    NotificationPreference.objects.create(user=contributor, decisions=False)
    QueueSettings.objects.create(curated_list=entry.curated_list, claim_days=3)
    Claim.objects.create(
        entry=entry, holder=contributor, assigned_by=admin, ended_at=now, end=ClaimEnd.DECIDED
    )
    Claim.objects.create(entry=entry, holder=admin)
    suggested = Entry.objects.filter(curated_list__slug="awesome-django").order_by("-pk").first()
    assert suggested is not None
    Suggestion.objects.create(entry=suggested, token_digest=token_digest("a-status-token"))
    repository = ListRepository.objects.create(
        curated_list=entry.curated_list,
        git_url="https://github.com/wsvincent/awesome-django.git",
        method=PushMethod.GITHUB_PR,
    )
    ListRepository.objects.filter(pk=repository.pk).update(
        state=PushState.PR_OPENED,
        pushed_blobs={"README.md": ["a" * 40, "b" * 40]},
        pushed_through_event=7,
        last_success_at=now,
        pull_request_url="https://github.com/wsvincent/awesome-django/pull/1",
    )
    PushAttempt.objects.create(
        repository=repository,
        trigger=PushAttempt.Trigger.CHANGE,
        state=PushState.PR_OPENED,
        started_at=now,
        finished_at=now,
        message="Add Django Ninja",
        pull_request_url="https://github.com/wsvincent/awesome-django/pull/1",
        readme_bytes=41_000,
    )
    QualityRules.objects.create(
        curated_list=entry.curated_list, stars="blocking", min_stars=50, section_cap=12
    )
    QualityCheck.objects.create(
        entry=entry,
        entry_revision=entry.revision,
        rule="stars",
        outcome="fail",
        blocking=True,
        figure="★ 37 < 50",
        checked_at=now,
    )


@pytest.fixture
def site(demo) -> None:  # type: ignore[no-untyped-def]
    import_corpus_list()
    add_the_rest()
    empty = [m._meta.label_lower for m in backed_up_models() if not m._base_manager.exists()]
    assert set(empty) <= EMPTY_HERE, f"tables without a row to back up: {empty}"


def what_the_site_shows() -> dict[str, Any]:
    """Every list's exported files and API list document (bytes), and every backed-up row."""
    client = Client()
    shown: dict[str, Any] = {}
    for curated_list in CuratedList.objects.order_by("slug"):
        document = client.get(f"/api/lists/{curated_list.slug}/document/")
        assert document.status_code == 200
        shown[curated_list.slug] = {
            "files": export_files(curated_list),
            "document": document.content,
        }
    shown["rows"] = [encode(row) for row in dump_rows()]
    return shown


def new_entry(title: str) -> Entry:
    """A draft at the end of the first section (after the restore: a new row, a new id)."""
    entry = Entry.objects.order_by("pk").first()
    assert entry is not None
    return Entry.objects.create(
        curated_list=entry.curated_list, section=entry.section, title=title, position=99_999
    )


def backed_up_counts() -> dict[str, int]:
    return {m._meta.label_lower: m._base_manager.count() for m in backed_up_models()}


def rewrite(path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    """The backup at ``path`` with its JSON changed by ``change(data)``, as a new file."""
    data = json.loads(gzip.decompress(path.read_bytes()))
    change(data)
    changed = path.with_name("changed.json.gz")
    changed.write_bytes(gzip.compress(json.dumps(data).encode()))
    return changed


def test_every_model_is_backed_up_or_left_out_for_a_reason():
    from django.apps import apps

    for model in apps.get_models():
        if model._meta.proxy:
            continue
        assert (model in backed_up_models()) != bool(excluded_reason(model)), model
    assert set(EXCLUDED) >= {"sessions", "contenttypes.contenttype", "auth.permission"}


def test_backup_flush_restore_gives_back_every_byte(site, tmp_path):
    before = what_the_site_shows()
    call_command("backup", str(tmp_path / "site.json.gz"))

    call_command("flush", interactive=False, verbosity=0)
    assert not any(backed_up_counts().values())
    call_command("restore", str(tmp_path / "site.json.gz"))

    after = what_the_site_shows()
    assert after.keys() == before.keys()
    for key in before:
        assert after[key] == before[key], key
    # The sequences follow the restored ids: new rows get new ids, not taken ones.
    copy = new_entry("After the restore")
    assert copy.pk > max(Entry.objects.exclude(pk=copy.pk).values_list("pk", flat=True))
    assert User.objects.create(username="newcomer").pk > 6


def test_backup_into_a_folder_gets_a_dated_name(site, tmp_path):
    call_command("backup", str(tmp_path))
    (made,) = tmp_path.glob("awesome-curator-*.json.gz")
    assert oct(made.stat().st_mode & 0o777) == "0o600"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_restore_refuses_a_database_with_data_unless_forced(site, tmp_path):
    call_command("backup", str(tmp_path / "site.json.gz"))
    before = what_the_site_shows()
    new_entry("Later")
    later = what_the_site_shows()

    with pytest.raises(CommandError, match="This database is not empty"):
        call_command("restore", str(tmp_path / "site.json.gz"))
    assert what_the_site_shows() == later

    call_command("restore", str(tmp_path / "site.json.gz"), "--force")
    assert what_the_site_shows() == before


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: data[:-6], id="last-bytes-missing"),
        pytest.param(
            lambda data: data[:400] + bytes([data[400] ^ 0xFF]) + data[401:], id="flipped-byte"
        ),
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: gzip.compress(b'{"format": "awesome'), id="bad-json"),
        pytest.param(lambda data: gzip.compress(b"[1, 2, 3]"), id="not-a-backup"),
    ],
)
def test_a_damaged_backup_is_refused_and_nothing_is_written(site, tmp_path, damage):
    call_command("backup", str(tmp_path / "site.json.gz"))
    data = (tmp_path / "site.json.gz").read_bytes()
    (tmp_path / "damaged.json.gz").write_bytes(damage(data))
    before = what_the_site_shows()

    with pytest.raises(CommandError, match="Nothing was restored"):
        call_command("restore", str(tmp_path / "damaged.json.gz"), "--force")
    assert what_the_site_shows() == before  # --force did not flush either

    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(CommandError, match="Nothing was restored"):
        call_command("restore", str(tmp_path / "damaged.json.gz"))
    assert not any(backed_up_counts().values())


def test_a_backup_missing_rows_is_refused(site, tmp_path):
    call_command("backup", str(tmp_path / "site.json.gz"))
    changed = rewrite(
        tmp_path / "site.json.gz",
        lambda data: data["objects"].pop(),
    )
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(CommandError, match="do not match its own counts"):
        call_command("restore", str(changed))
    assert not any(backed_up_counts().values())


def test_a_row_the_database_refuses_rolls_the_whole_restore_back(site, tmp_path):
    """A dangling link found by the database after the flush: the flush is undone too."""
    call_command("backup", str(tmp_path / "site.json.gz"))

    def dangle(data: dict[str, Any]) -> None:
        link = next(row for row in data["objects"] if row["model"] == "catalog.extralink")
        link["fields"]["entry"] = 999_999_999

    changed = rewrite(tmp_path / "site.json.gz", dangle)
    before = what_the_site_shows()
    with pytest.raises(CommandError, match="could not be loaded"):
        call_command("restore", str(changed), "--force")
    assert what_the_site_shows() == before


def test_a_backup_from_a_newer_schema_is_refused(site, tmp_path):
    call_command("backup", str(tmp_path / "site.json.gz"))
    changed = rewrite(
        tmp_path / "site.json.gz",
        lambda data: data["migrations"]["catalog"].append("9999_from_the_future"),
    )
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(CommandError, match=r"newer version .*catalog\.9999_from_the_future"):
        call_command("restore", str(changed))
    assert not any(backed_up_counts().values())


def test_an_older_backup_is_restored_with_a_warning(site, tmp_path, capsys):
    call_command("backup", str(tmp_path / "site.json.gz"))
    before = what_the_site_shows()
    changed = rewrite(
        tmp_path / "site.json.gz",
        lambda data: data["migrations"]["curation"].pop(),
    )
    call_command("flush", interactive=False, verbosity=0)
    call_command("restore", str(changed))
    assert "predates migrations applied here (curation." in capsys.readouterr().out
    assert what_the_site_shows() == before


def test_backup_is_one_snapshot_while_others_write(site, tmp_path, monkeypatch):
    """PostgreSQL: a list, entry and review committed half way through the backup are not in it
    (REPEATABLE READ); read committed would have caught the review without its entry."""
    if connection.vendor != "postgresql":  # the suite's other pass runs it
        pytest.skip("PostgreSQL only: on SQLite the backup's transaction holds the write lock")
    models_ = backed_up_models()
    real_rows = backup_module._rows
    written = {}

    def write_elsewhere() -> None:
        from curation.models import Review, Verdict

        try:
            entry = new_entry("Written meanwhile")
            Review.objects.create(
                entry=entry,
                reviewer=User.objects.get(username="reviewer"),
                verdict=Verdict.COMMENT,
                comment="Written meanwhile",
                entry_revision=1,
            )
            written["entry"] = entry.pk
        finally:
            connection.close()

    def rows_with_a_writer(model):  # type: ignore[no-untyped-def]
        if model is models_[len(models_) // 2]:
            writer = threading.Thread(target=write_elsewhere)
            writer.start()
            writer.join()
        return real_rows(model)

    monkeypatch.setattr(backup_module, "_rows", rows_with_a_writer)
    call_command("backup", str(tmp_path / "site.json.gz"))
    assert "entry" in written
    backup = json.loads(gzip.decompress((tmp_path / "site.json.gz").read_bytes()))
    comments = [r["fields"].get("comment") for r in backup["objects"] if "comment" in r["fields"]]
    assert "Written meanwhile" not in comments
    assert written["entry"] not in {
        r["pk"] for r in backup["objects"] if r["model"] == "catalog.entry"
    }
    call_command("flush", interactive=False, verbosity=0)
    call_command("restore", str(tmp_path / "site.json.gz"))


# --- Across databases: SQLite → PostgreSQL, each in a process of its own -----------------------
SHOWN = """
import json
from django.test import Client
from catalog.export import export_files
from catalog.models import CuratedList
from curation.backup import dump_rows, encode
client = Client(HTTP_HOST="localhost")
shown = {
    l.slug: {
        "files": export_files(l),
        "document": client.get(f"/api/lists/{l.slug}/document/").content.decode(),
    }
    for l in CuratedList.objects.order_by("slug")
}
shown["rows"] = [encode(row) for row in dump_rows()]
print(json.dumps(shown))
"""
SET_UP = """
from catalog.importer import read_readme, store_document
from tests.curation.test_backup import import_corpus_list, add_the_rest
import_corpus_list()
add_the_rest()
"""


def test_restore_from_sqlite_into_postgresql(tmp_path):
    require_or_skip(CORPUS_LIST.is_file(), f"the corpus is not at {CORPUS}")
    sqlite = dev_env(f"sqlite:///{tmp_path / 'site.sqlite3'}")
    manage("migrate", "--noinput", "-v", "0", env=sqlite)
    manage("load_demo", env=sqlite)
    manage("shell", "--no-imports", "-c", SET_UP, env=sqlite)
    manage("backup", str(tmp_path / "site.json.gz"), env=sqlite)
    before = json.loads(manage("shell", "--no-imports", "-c", SHOWN, env=sqlite).stdout)

    with scratch_postgres("curator_restore") as database_url:
        postgres = dev_env(database_url)
        manage("migrate", "--noinput", "-v", "0", env=postgres)
        restored = manage("restore", str(tmp_path / "site.json.gz"), env=postgres)
        assert "Restored" in restored.stdout
        after = json.loads(manage("shell", "--no-imports", "-c", SHOWN, env=postgres).stdout)
        assert after.keys() == before.keys()
        for key in before:
            assert after[key] == before[key], key
        # PostgreSQL's sequences were reset past the restored ids.
        manage(
            "shell",
            "--no-imports",
            "-c",
            "from tests.curation.test_backup import new_entry; new_entry('New')",
            env=postgres,
        )
