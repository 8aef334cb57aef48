"""Interrupted imports and exports leave nothing half written.

How each fault is made:

- an import that fails half way: a **database trigger** (SQLite and PostgreSQL alike) that
  raises on the N-th row inserted into one table — the entries' bulk insert, the history copy,
  the tags, the entry ↔ marker links — so the failure comes from the database itself, as a
  full disk or a constraint would, in the middle of the real import;
- an export whose second file cannot be written: ``os.replace`` monkeypatched to fail on its
  second call, ``os.fsync`` failing (a full disk) on the second temporary, and for real a
  directory standing where the second file goes;
- a killed process: ``manage.py import_readme`` / ``export_readme`` in a process of their own on
  a large generated list, sent SIGKILL once the database shows the import's first write (the
  SQLite journal file, a transaction id on PostgreSQL) or once the export's first temporary file
  appears.
"""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection

from catalog.document_json import document_to_json
from catalog.export import export_files, list_document
from catalog.importer import read_readme, store_document
from catalog.management import files as files_module
from catalog.markdown.document import (
    EntryDoc,
    ExtraLinkDoc,
    FooterBlock,
    ListDoc,
    MarkerDef,
    SectionDoc,
)
from catalog.markdown.render import render_files, render_readme
from catalog.models import CuratedList, Section
from tests.conftest import REPO_ROOT
from tests.subprocesses import dev_env, manage, postgres_admin, scratch_postgres


# --- Generated lists ----------------------------------------------------------------------------
def generated(entries: int, variant: str, per_section: int = 100) -> ListDoc:
    """A list of ``entries`` entries in nested sections, with a legend, tags, extra links and a
    footer; ``variant`` changes every file of the export."""
    sections = []
    for s in range(max(1, entries // per_section)):
        docs = tuple(
            EntryDoc(
                title=f"Tool {variant} {s}-{n}",
                url=f"https://{variant}.example.org/{s}/{n}",
                description=f"Does thing {n} of group {s} ({variant}).",
                extra_links=(ExtraLinkDoc("Source Code", f"https://src.example.org/{s}/{n}"),)
                if n % 3 == 0
                else (),
                markers=("⭐",) if n % 10 == 0 else (),
                tags=(f"tag-{variant}", "Python") if n % 4 == 0 else (),
            )
            for n in range(min(per_section, entries))
        )
        child = SectionDoc(title=f"Group {s} Extras", slug=f"group-{s}-extras", entries=docs[:10])
        sections.append(
            SectionDoc(title=f"Group {s}", slug=f"group-{s}", entries=docs[10:], children=(child,))
        )
    return ListDoc(
        title=f"Awesome Generated {variant.title()}",
        tagline=f"A generated list, variant {variant}.",
        markers=(MarkerDef("⭐", "star", "Recommended"),),
        sections=tuple(sections),
        footer=(
            FooterBlock("Contributing", f"Variant {variant}: send a pull request."),
            FooterBlock("License", f"CC0, variant {variant}."),
        ),
    )


def readme_file(tmp_path: Path, doc: ListDoc, name: str) -> Path:
    """The list's export in a folder of its own (the importer reads license.md beside it)."""
    folder = tmp_path / name
    folder.mkdir(parents=True)
    for file_name, text in render_files(doc).items():
        (folder / file_name).write_text(text, encoding="utf-8")
    return folder / "README.md"


def table_counts() -> dict[str, int]:
    """Rows in every table of every installed model (histories and link tables included)."""
    return {
        model._meta.db_table: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.proxy
    }


def list_state(slug: str) -> tuple[dict[str, str], dict, list[int]]:
    """What a list shows (exported files, the API's list document) and its section ids."""
    curated_list = CuratedList.objects.get(slug=slug)
    document = json.dumps(document_to_json(list_document(curated_list), slug=slug))
    sections = list(Section.objects.filter(curated_list=curated_list).values_list("pk", flat=True))
    return export_files(curated_list), json.loads(document), sorted(sections)


# --- An import that fails half way ---------------------------------------------------------------
@contextmanager
def failing_insert(table: str, on_row: int) -> Iterator[None]:
    """A trigger that lets ``on_row - 1`` rows into ``table`` and raises on the next one."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE test_fault_counter (n integer NOT NULL)")
        cursor.execute("INSERT INTO test_fault_counter (n) VALUES (0)")
        if connection.vendor == "sqlite":
            cursor.execute(
                f"CREATE TRIGGER test_fault BEFORE INSERT ON {table} BEGIN "
                "UPDATE test_fault_counter SET n = n + 1; "
                f"SELECT RAISE(ABORT, 'injected failure on row {on_row} of {table}') "
                f"WHERE (SELECT n FROM test_fault_counter) >= {on_row}; END"
            )
        else:
            cursor.execute(
                "CREATE FUNCTION test_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "UPDATE test_fault_counter SET n = n + 1; "
                f"IF (SELECT n FROM test_fault_counter) >= {on_row} THEN "
                f"RAISE EXCEPTION 'injected failure on row {on_row} of {table}'; END IF; "
                "RETURN NEW; END $$"
            )
            cursor.execute(
                f"CREATE TRIGGER test_fault BEFORE INSERT ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION test_fault()"
            )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("DROP TRIGGER IF EXISTS test_fault")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS test_fault ON {table}")
                cursor.execute("DROP FUNCTION IF EXISTS test_fault()")
            cursor.execute("DROP TABLE IF EXISTS test_fault_counter")


# Where the import breaks: (table, the row that fails). The new list has 1,500 entries, 500 extra
# links, 375 tagged entries, 150 ⭐ links; the entries go in by batches of 500.
FAILURES = [
    pytest.param("catalog_entry", 1_200, id="entries-third-batch"),
    pytest.param("catalog_extralink", 300, id="extra-links"),
    pytest.param("catalog_historicalentry", 800, id="history-copy"),
    pytest.param("catalog_entry_markers", 100, id="markers-last-step"),
]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("table", "on_row"), FAILURES)
def test_failed_replace_import_leaves_the_old_list_and_every_table_as_they_were(
    table, on_row, tmp_path
):
    call_command(
        "import_readme",
        str(readme_file(tmp_path, generated(150, "old"), "old")),
        "--list",
        "gen",
        stdout=io.StringIO(),
    )
    before, old_state = table_counts(), list_state("gen")
    path = readme_file(tmp_path, generated(1_500, "new"), "new")

    with failing_insert(table, on_row), pytest.raises(DatabaseError, match="injected failure"):
        call_command("import_readme", str(path), "--list", "gen", "--replace", stdout=io.StringIO())

    assert table_counts() == before
    assert list_state("gen") == old_state
    # And nothing is stuck: the same import, without the fault, goes through.
    call_command("import_readme", str(path), "--list", "gen", "--replace", stdout=io.StringIO())
    assert export_files(CuratedList.objects.get(slug="gen")) == render_files(
        generated(1_500, "new")
    )


@pytest.mark.django_db(transaction=True)
def test_failed_first_import_creates_nothing(tmp_path):
    path = readme_file(tmp_path, generated(1_500, "new"), "new")
    before = table_counts()
    with failing_insert("catalog_entry", 700), pytest.raises(DatabaseError):
        call_command("import_readme", str(path), "--list", "gen", stdout=io.StringIO())
    assert table_counts() == before
    assert not CuratedList.objects.filter(slug="gen").exists()


# --- An export whose second file cannot be written ------------------------------------------------
@pytest.fixture
def exported_list(db) -> CuratedList:
    doc, _ = read_readme(render_readme(generated(50, "new")).encode())
    return store_document(doc, slug="gen").curated_list


def old_files(directory: Path) -> dict[str, bytes]:
    """A previous export in ``directory``: what a failed export must leave alone."""
    directory.mkdir(parents=True, exist_ok=True)
    files = render_files(generated(100, "old"))
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory_bytes(directory)


def directory_bytes(directory: Path) -> dict[str, bytes]:
    """Every file in ``directory``, hidden ones (temporaries) included."""
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir()) if path.is_file()}


def failing_on_call(real, n: int, error: OSError):  # type: ignore[no-untyped-def]
    calls = {"count": 0}

    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["count"] += 1
        if calls["count"] == n:
            raise error
        return real(*args, **kwargs)

    return wrapper


def test_export_whose_second_rename_fails_leaves_the_previous_files(
    exported_list, tmp_path, monkeypatch
):
    before = old_files(tmp_path / "out")
    monkeypatch.setattr(
        files_module.os, "replace", failing_on_call(os.replace, 2, OSError(5, "Input/output error"))
    )
    with pytest.raises(CommandError, match=r"Cannot write to .*: Input/output error"):
        call_command("export_readme", "gen", "--output", str(tmp_path / "out"))
    assert directory_bytes(tmp_path / "out") == before  # and no temporary beside them


def test_export_that_runs_out_of_disk_on_the_second_file_leaves_the_previous_files(
    exported_list, tmp_path, monkeypatch
):
    before = old_files(tmp_path / "out")
    monkeypatch.setattr(
        files_module.os,
        "fsync",
        failing_on_call(os.fsync, 2, OSError(28, "No space left on device")),
    )
    with pytest.raises(CommandError, match="No space left on device"):
        call_command("export_readme", "gen", "--output", str(tmp_path / "out"))
    assert directory_bytes(tmp_path / "out") == before


def test_export_blocked_by_a_directory_where_the_second_file_goes(exported_list, tmp_path):
    """A real failure of the file system, not a monkeypatch (and one root cannot override)."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "README.md").write_text("# The previous README\n", encoding="utf-8")
    (out / "contributing.md").mkdir()
    with pytest.raises(CommandError, match="Cannot write to"):
        call_command("export_readme", "gen", "--output", str(out))
    assert directory_bytes(out) == {"README.md": b"# The previous README\n"}
    assert sorted(p.name for p in out.iterdir()) == ["README.md", "contributing.md"]


def test_export_into_an_empty_directory_that_fails_leaves_it_empty(
    exported_list, tmp_path, monkeypatch
):
    monkeypatch.setattr(
        files_module.os, "replace", failing_on_call(os.replace, 2, OSError(5, "Input/output error"))
    )
    with pytest.raises(CommandError):
        call_command("export_readme", "gen", "--output", str(tmp_path / "out"))
    assert list((tmp_path / "out").iterdir()) == []


# --- A killed process ------------------------------------------------------------------------
@contextmanager
def scratch_database(tmp_path: Path) -> Iterator[str]:
    """A database of the vendor the suite runs on, for commands in a process of their own."""
    if connection.vendor == "postgresql":
        with scratch_postgres("curator_faults") as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path / 'scratch.sqlite3'}"


STATE = (
    "import json; from django.apps import apps; from catalog.export import export_files; "
    "from catalog.models import CuratedList; print(json.dumps({'counts': {m._meta.db_table: "
    "m._base_manager.count() for m in apps.get_models(include_auto_created=True) "
    "if not m._meta.proxy}, 'readme': export_files(CuratedList.objects.get(slug='gen'))"
    "['README.md']}, sort_keys=True))"
)


def scratch_state(env: dict[str, str]) -> tuple[dict[str, int], str]:
    """Rows in every table of the scratch database, and the README of its list "gen"."""
    state = json.loads(manage("shell", "--no-imports", "-c", STATE, env=env).stdout)
    return state["counts"], state["readme"]


def writing_started(database_url: str):  # type: ignore[no-untyped-def]
    """A probe: has the import written its first row (not committed yet)?"""
    if database_url.startswith("sqlite:///"):
        journal = Path(database_url.removeprefix("sqlite:///") + "-journal")
        return journal.exists
    name = database_url.rsplit("/", 1)[1]
    admin = postgres_admin()

    def probe() -> bool:
        row = admin.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
            "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()",
            [name],
        ).fetchone()
        return bool(row and row[0])

    return probe


def kill_when(process: subprocess.Popen, ready, timeout: float = 120) -> bool:  # type: ignore[no-untyped-def,type-arg]
    """SIGKILL ``process`` as soon as ``ready()``; False if it ended first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        if ready():
            process.send_signal(signal.SIGKILL)
            process.wait()
            return True
        time.sleep(0.002)
    process.kill()
    raise AssertionError("the command neither wrote nor ended in time")


def test_import_killed_while_writing_leaves_the_database_unchanged(tmp_path):
    old, new = generated(200, "old"), generated(2_000, "new")
    with scratch_database(tmp_path) as database_url:
        env = dev_env(database_url)
        manage("migrate", "--noinput", "-v", "0", env=env)
        manage("import_readme", str(readme_file(tmp_path, old, "old")), "--list", "gen", env=env)
        before = scratch_state(env)
        assert before[1] == render_readme(old)
        new_path = readme_file(tmp_path, new, "new")

        process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "import_readme",
                str(new_path),
                "--list",
                "gen",
                "--replace",
            ],
            cwd=REPO_ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert kill_when(process, writing_started(database_url)), "the import ended unkilled"

        after = scratch_state(env)
        if after[1] == render_readme(new):  # killed after the commit: fully imported
            assert after[0]["catalog_entry"] == 2_000
        else:
            assert after == before  # every table, every byte of the README
        if database_url.startswith("sqlite:///"):
            database = sqlite3.connect(database_url.removeprefix("sqlite:///"))
            assert database.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            database.close()
        # Not stuck either: the same import, let run, goes through.
        manage("import_readme", str(new_path), "--list", "gen", "--replace", env=env)
        assert scratch_state(env)[1] == render_readme(new)


@pytest.fixture(scope="module")
def export_database(tmp_path_factory):  # type: ignore[no-untyped-def]
    """A scratch database holding a 3,000-entry list, shared by the export kill tests."""
    tmp_path = tmp_path_factory.mktemp("export")
    new = generated(3_000, "new")
    with scratch_database(tmp_path) as database_url:
        env = dev_env(database_url)
        manage("migrate", "--noinput", "-v", "0", env=env)
        manage("import_readme", str(readme_file(tmp_path, new, "new")), "--list", "gen", env=env)
        yield env, {name: text.encode() for name, text in render_files(new).items()}


@pytest.fixture
def export_setup(export_database, tmp_path):  # type: ignore[no-untyped-def]
    """The database above, and a directory holding an older export."""
    env, new = export_database
    out = tmp_path / "out"
    return env, out, old_files(out), new


# Runs export_readme with the first temporary file held open long enough to be killed: the
# moment every file is written and none is renamed yet.
PAUSED_EXPORT = """
import sys, time
import django
django.setup()
from catalog.management import files
real = files._write_temporary
def paused(path, text):
    temporary = real(path, text)
    print("wrote", temporary, flush=True)
    time.sleep(300)
    return temporary
files._write_temporary = paused
from django.core.management import call_command
call_command("export_readme", "gen", "--output", sys.argv[1])
"""


def test_export_killed_while_writing_leaves_the_previous_files(export_setup):
    env, out, old, new = export_setup
    process = subprocess.Popen(
        [sys.executable, "-c", PAUSED_EXPORT, str(out)],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()  # blocks until the first temporary is complete
    assert line.startswith("wrote "), line
    process.send_signal(signal.SIGKILL)
    process.wait()

    left = directory_bytes(out)
    assert {name: left[name] for name in old} == old
    leftovers = sorted(name for name in left if name not in old)
    assert len(leftovers) == 1
    assert leftovers[0].startswith(".README.md.")
    assert leftovers[0].endswith(".tmp")

    # The next export writes the new files, and clears what the killed one left once it is
    # stale (an hour old): a fresh one may belong to an export still running.
    manage("export_readme", "gen", "--output", str(out), env=env)
    assert directory_bytes(out) == {**new, leftovers[0]: left[leftovers[0]]}
    hour_ago = time.time() - 2 * 60 * 60
    os.utime(out / leftovers[0], (hour_ago, hour_ago))
    manage("export_readme", "gen", "--output", str(out), env=env)
    assert directory_bytes(out) == new


def test_export_killed_at_its_first_write_leaves_only_complete_files(export_setup):
    """No pause: killed as soon as a temporary file shows, wherever the export then is."""
    env, out, old, new = export_setup
    process = subprocess.Popen(
        [sys.executable, "manage.py", "export_readme", "gen", "--output", str(out)],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    kill_when(process, lambda: any(p.name.startswith(".") for p in out.iterdir()))
    left = directory_bytes(out)
    for name in old:
        assert left[name] in (old[name], new[name]), f"{name} is neither the old nor the new one"
