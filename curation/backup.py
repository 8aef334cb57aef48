"""Backup and restore of everything the site holds, as one gzip'd JSON file.

Here, in ``curation``, because a backup spans both apps (lists and entries of ``catalog``;
members, reviews, the audit trail and suggestions of ``curation``; users and API tokens), and
only ``curation`` may import ``catalog``.

A backup is one consistent snapshot: every table is read in one transaction (REPEATABLE READ,
read only, on PostgreSQL; SQLite's transaction holds its lock for the whole read). It holds the
applied migrations, the row count of every model and the rows themselves, serialised by
Django's serialisers (plain primary keys, so ids, links and permalinks survive; natural keys
for what points at content types and permissions, which every database numbers its own way;
datetimes with their microseconds). The file is written beside its target and renamed over it.

A restore checks the whole file first (gzip checksum, JSON, format, migrations, counts), then
writes everything in one transaction: into an empty, migrated database, or with ``force`` after
flushing it in that same transaction; a failure anywhere leaves the database as it was.

Left out, on purpose: content types and permissions (``migrate`` makes them), sessions (users
sign in again), queued background tasks and sign-in attempts (transient state).
"""

from __future__ import annotations

import datetime
import gzip
import itertools
import json
import os
import tempfile
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "awesome-curator-backup"
FORMAT_VERSION = 1

# Models left out (by label, or a whole app by its label) and why. Every other model is in.
EXCLUDED = {
    "contenttypes.contenttype": "made by migrate; rows refer to it by natural key",
    "auth.permission": "made by migrate; rows refer to it by natural key",
    "sessions": "signed-in sessions: everybody signs in again after a restore",
    "django_tasks_database": "queued and finished background tasks: transient",
    "axes": "sign-in attempts and lock-outs: transient security state",
}
CHUNK = 2000


class BackupError(Exception):
    """The backup cannot be made or restored; the message says why and what to do."""


@dataclass(frozen=True)
class Summary:
    path: Path
    counts: dict[str, int]
    # Restore only: migrations applied here that the backup's database had not (an older backup).
    migrations_since: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def describe(self) -> str:
        names = {
            "catalog.curatedlist": "lists",
            "catalog.section": "sections",
            "catalog.entry": "entries",
            "auth.user": "users",
        }
        parts = [f"{self.counts.get(label, 0):,} {name}" for label, name in names.items()]
        return f"{self.total:,} rows ({', '.join(parts)})"


# --- What is backed up -----------------------------------------------------------------------
def excluded_reason(model: type[models.Model]) -> str | None:
    return EXCLUDED.get(model._meta.label_lower) or EXCLUDED.get(model._meta.app_label)


def backed_up_models() -> list[type[models.Model]]:
    """Every concrete model but the excluded ones, in an order that loads (natural keys first)."""
    chosen: dict[Any, list[type[models.Model]]] = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed or excluded_reason(model):
            continue
        chosen.setdefault(model._meta.app_config, []).append(model)
    return serializers.sort_dependencies(list(chosen.items()), allow_cycles=True)


def _uses_natural_keys(model: type[models.Model]) -> bool:
    """Whether rows of ``model`` point at content types or permissions (numbered per database)."""
    return any(
        field.is_relation and field.related_model in (ContentType, Permission)
        for field in model._meta.get_fields()
        if field.concrete or field.many_to_many
    )


def _auto_links(model: type[models.Model]) -> list[models.ManyToManyField]:
    """The many-to-many fields of ``model`` whose link table Django made (serialised with it)."""
    return [
        field
        for field in model._meta.many_to_many
        if isinstance(field, models.ManyToManyField)
        and field.remote_field.through is not None
        and field.remote_field.through._meta.auto_created
    ]


def _rows(model: type[models.Model]) -> Iterator[dict[str, Any]]:
    """The rows of ``model`` as serialiser dicts, by primary key, a chunk at a time."""
    queryset = model._base_manager.order_by(model._meta.pk.name)
    many = [f.name for f in _auto_links(model)]
    natural = _uses_natural_keys(model)
    if natural:  # a natural key of a related row is one query per row without this
        queryset = queryset.select_related(
            *(
                f.name
                for f in model._meta.concrete_fields
                if f.is_relation and hasattr(f.related_model, "natural_key")
            )
        )
    if many:
        queryset = queryset.prefetch_related(*many)
    iterator = queryset.iterator(chunk_size=CHUNK)
    while chunk := list(itertools.islice(iterator, CHUNK)):
        yield from serializers.serialize("python", chunk, use_natural_foreign_keys=natural)


def dump_rows(models_: Iterable[type[models.Model]] | None = None) -> Iterator[dict[str, Any]]:
    """Every backed-up row, as the backup file holds them (also what the tests compare)."""
    for model in backed_up_models() if models_ is None else models_:
        yield from _rows(model)


class _Encoder(DjangoJSONEncoder):
    """Django's encoder, but datetimes keep their microseconds (Django's drops them)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, (datetime.datetime, datetime.time)):
            return o.isoformat()
        return super().default(o)


def encode(row: dict[str, Any]) -> str:
    return json.dumps(row, cls=_Encoder, ensure_ascii=False, sort_keys=True)


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app_label, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app_label, []).append(name)
    return applied


# --- Backup ----------------------------------------------------------------------------------
def create_backup(path: Path) -> Summary:
    """Write a consistent snapshot of the database to ``path`` (gzip'd JSON), atomically."""
    models_ = backed_up_models()
    handle, temporary_name = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    temporary = Path(temporary_name)
    try:
        with os.fdopen(handle, "wb") as raw:
            with transaction.atomic():
                _snapshot_isolation()
                counts = {m._meta.label_lower: m._base_manager.count() for m in models_}
                header = {
                    "format": FORMAT,
                    "version": FORMAT_VERSION,
                    "created_at": timezone.now().isoformat(),
                    "database": connection.vendor,
                    "migrations": applied_migrations(),
                    "counts": counts,
                }
                with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as compressed:
                    _write_json(compressed, header, dump_rows(models_))
            raw.flush()
            os.fsync(raw.fileno())
        os.chmod(temporary, 0o600)  # password hashes and API tokens: for the operator only
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return Summary(path=path, counts=counts)


def _snapshot_isolation() -> None:
    """On PostgreSQL every query of the transaction sees the same snapshot (the first one)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")


def _write_json(
    stream: gzip.GzipFile, header: dict[str, Any], rows: Iterator[dict[str, Any]]
) -> None:
    """``{…header…, "objects": [row, row, …]}``, one row per line, without holding all rows."""
    stream.write(json.dumps(header, sort_keys=True)[:-1].encode() + b', "objects": [\n')
    for n, row in enumerate(rows):
        stream.write((",\n" if n else "").encode() + encode(row).encode())
    stream.write(b"\n]}\n")


# --- Restore ---------------------------------------------------------------------------------
def read_backup(path: Path) -> dict[str, Any]:
    """The backup at ``path``, checked from end to end before anything is written."""
    try:
        with gzip.open(path, "rb") as compressed:
            data = json.loads(compressed.read().decode("utf-8"))
    except FileNotFoundError as error:
        raise BackupError(f"No backup at {path}.") from error
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError) as error:
        raise BackupError(
            f"{path} is not a complete backup ({error}); it may be truncated or damaged. "
            "Nothing was restored."
        ) from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(f"{path} is not an Awesome Curator backup. Nothing was restored.")
    if data.get("version") != FORMAT_VERSION:
        raise BackupError(
            f"{path} is a backup of format version {data.get('version')}; this code reads "
            f"version {FORMAT_VERSION}. Nothing was restored."
        )
    found = Counter(row.get("model") for row in data.get("objects", []))
    expected = {label: n for label, n in data.get("counts", {}).items() if n}
    if dict(found) != expected:
        raise BackupError(
            f"{path} is not a complete backup: its rows do not match its own counts. "
            "Nothing was restored."
        )
    return data


def check_schema(backup: dict[str, Any]) -> list[str]:
    """Refuse a backup of a newer schema; return the migrations applied here since it was made."""
    applied = {(app, name) for app, names in applied_migrations().items() for name in names}
    if not applied:
        raise BackupError("This database has no tables yet: run `manage.py migrate` first.")
    theirs = {(app, name) for app, names in backup["migrations"].items() for name in names}
    newer = sorted(theirs - applied)
    if newer:
        listed = ", ".join(f"{app}.{name}" for app, name in newer[:5])
        more = f" and {len(newer) - 5} more" if len(newer) > 5 else ""
        raise BackupError(
            "This backup comes from a newer version of the code: its database had migrations "
            f"this one has not applied ({listed}{more}). Upgrade the code, run "
            "`manage.py migrate`, then restore. Nothing was restored."
        )
    unknown = sorted(set(backup["counts"]) - {m._meta.label_lower for m in backed_up_models()})
    if unknown:
        raise BackupError(
            f"This backup holds tables this code does not know ({', '.join(unknown)}). "
            "Nothing was restored."
        )
    return [f"{app}.{name}" for app, name in sorted(applied - theirs)]


def occupied_tables() -> list[str]:
    return [m._meta.label for m in backed_up_models() if m._base_manager.exists()]


def restore_backup(path: Path, *, force: bool = False) -> Summary:
    """Load the backup at ``path`` into this database, in one transaction."""
    backup = read_backup(path)
    migrations_since = check_schema(backup)
    occupied = occupied_tables()
    if occupied and not force:
        raise BackupError(
            f"This database is not empty ({', '.join(occupied[:4])}"
            f"{' …' if len(occupied) > 4 else ''} hold rows). Restore into a new database "
            "(after `manage.py migrate`), or pass --force to delete everything in it first."
        )
    models_ = backed_up_models()
    try:
        with transaction.atomic():
            if occupied:
                # Every table, sessions included: nobody stays signed in as a user who may now be
                # someone else. Content types and permissions are made again by post_migrate.
                call_command("flush", interactive=False, verbosity=0)
            _load(backup["objects"])
            _reset_sequences(models_)
            found = {m._meta.label_lower: m._base_manager.count() for m in models_}
            expected = {label: backup["counts"].get(label, 0) for label in found}
            if found != expected:
                raise BackupError("The restored rows do not match the backup's counts.")
    except (DeserializationError, DatabaseError) as error:
        raise BackupError(
            f"The backup could not be loaded ({error}). Nothing was restored."
        ) from error
    return Summary(path=path, counts=backup["counts"], migrations_since=tuple(migrations_since))


def _load(rows: list[dict[str, Any]]) -> None:
    with connection.constraint_checks_disabled():
        for item in serializers.deserialize("python", rows):
            # Versioning is a copy of each write: a restore writes nothing new, it puts back the
            # history the backup holds (simple-history skips raw saves, not m2m changes).
            item.object.skip_history_when_saving = True  # type: ignore[attr-defined]
            # The tables are empty: insert without first trying an update, and leave out empty
            # many-to-many lists (each would cost a query to set nothing). Twice as fast.
            item.m2m_data = {
                name: values for name, values in (item.m2m_data or {}).items() if values
            }
            item.save(force_insert=True)
    connection.check_constraints()


def _reset_sequences(models_: list[type[models.Model]]) -> None:
    """Next ids after the restored ones (PostgreSQL's ``sqlsequencereset``; SQLite needs none)."""
    with_links = list(models_) + [
        field.remote_field.through
        for model in models_
        for field in _auto_links(model)
        if field.remote_field.through is not None
    ]
    statements = connection.ops.sequence_reset_sql(no_style(), with_links)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
