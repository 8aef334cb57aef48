"""How the README commands (export_readme, render_readme) hand their files over.

A README and its companions (contributing.md, license.md) are one set: a reader must never find
the new README beside the old contributing.md. So every file is first written in full beside
its target (a hidden temporary, flushed to disk), and only then are they renamed over the
targets, one ``os.replace`` each; should a rename fail, the ones already done are undone from
hard links of the old files. A failure anywhere leaves the old files and no temporary behind.

A process killed outright (SIGKILL, power loss) cannot clean up: before the renames it leaves
the old files plus hidden temporaries, which the next write into the directory removes once
they are an hour old; in the microseconds between two renames it would leave a mix of old and
new files, each complete in itself.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

TEMPORARY_SUFFIX = ".tmp"
# A temporary this old was left by a killed process: no write takes an hour.
STALE_AFTER_SECONDS = 60 * 60


def emit_files(command: BaseCommand, files: dict[str, str], output: str | None) -> None:
    """Print the README to standard output, or write every file into ``output``, all or none."""
    if not output:
        command.stdout.write(files["README.md"], ending="")
        return
    directory = Path(output)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        write_files_atomically(directory, files)
    except OSError as error:
        raise CommandError(f"Cannot write to {directory}: {error.strerror or error}.") from error
    names = ", ".join(sorted(files))
    command.stdout.write(command.style.SUCCESS(f"Wrote {names} to {directory}."))


def write_files_atomically(directory: Path, files: dict[str, str]) -> None:
    """Write ``files`` (name → text) into ``directory``: all of them, or none of them."""
    remove_stale_temporaries(directory, files)
    staged: list[tuple[Path, Path]] = []
    try:
        for name, text in sorted(files.items()):
            staged.append((_write_temporary(directory / name, text), directory / name))
        _replace_all(staged)
        _sync_directory(directory)
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)


def write_atomically(path: Path, text: str) -> None:
    """Write one file beside its target and rename it over: a reader never sees half of it."""
    write_files_atomically(path.parent, {path.name: text})


def remove_stale_temporaries(directory: Path, names: Iterable[str]) -> None:
    """Remove what killed writes of these files left behind (an hour old or more)."""
    cutoff = time.time() - STALE_AFTER_SECONDS
    for name in names:
        for leftover in directory.glob(f".{name}.*{TEMPORARY_SUFFIX}"):
            try:
                if leftover.stat().st_mtime < cutoff:
                    leftover.unlink()
            except FileNotFoundError:
                pass


def _write_temporary(path: Path, text: str) -> Path:
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())  # on disk before the rename makes it the file
        os.chmod(temporary, 0o644)  # mkstemp makes it private; an export is for everyone
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _replace_all(staged: list[tuple[Path, Path]]) -> None:
    """Rename each temporary over its target; on any failure put the old targets back."""
    done: list[tuple[Path, Path | None]] = []  # (target, what it held before, kept aside)
    try:
        for temporary, target in staged:
            old = _keep_aside(target)
            done.append((target, old))
            os.replace(temporary, target)
    except BaseException:
        for target, old in reversed(done):
            if old is not None:
                os.replace(old, target)
            else:
                target.unlink(missing_ok=True)
        raise
    finally:
        for _, old in done:
            if old is not None:
                old.unlink(missing_ok=True)


def _keep_aside(target: Path) -> Path | None:
    """A second name for the target's current content (a hard link, else a copy), or None."""
    if not target.exists():
        return None
    handle, name = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=f".old{TEMPORARY_SUFFIX}"
    )
    os.close(handle)
    kept = Path(name)
    try:
        kept.unlink()
        try:
            os.link(target, kept)
        except OSError:  # a file system without hard links
            shutil.copy2(target, kept)
    except BaseException:
        kept.unlink(missing_ok=True)
        raise
    return kept


def _sync_directory(directory: Path) -> None:
    """Make the renames durable (POSIX; a no-op where directories cannot be opened)."""
    try:
        handle = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)
