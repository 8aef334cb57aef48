"""How the README commands (export_readme, render_readme) hand their files over."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


def emit_files(command: BaseCommand, files: dict[str, str], output: str | None) -> None:
    """Print the README to standard output, or write every file into ``output``."""
    if not output:
        command.stdout.write(files["README.md"], ending="")
        return
    directory = Path(output)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for name, text in sorted(files.items()):
            write_atomically(directory / name, text)
    except OSError as error:
        raise CommandError(f"Cannot write to {directory}: {error.strerror}.") from error
    names = ", ".join(sorted(files))
    command.stdout.write(command.style.SUCCESS(f"Wrote {names} to {directory}."))


def write_atomically(path: Path, text: str) -> None:
    """Write beside the target and rename over it: a reader never sees half a README."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; an export is for everyone
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
