"""The deployment files name what exists: commands, options, timers' services, variables.

The Procfile and the systemd units in deploy/systemd/ are read as a platform would; every
``manage.py`` command they run is parsed by that command's own argument parser (so a renamed
command or option fails here, not at 3 a.m. on the server), gunicorn's options by gunicorn's,
and every environment variable they set or read is documented (.env.example for the site's
settings, docs/deploy.md for the process-level ones). ``systemd-analyze verify`` checks the
units themselves where it is installed.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, get_commands, load_command_class

from tests.conftest import REPO_ROOT

PROCFILE = REPO_ROOT / "Procfile"
UNITS = REPO_ROOT / "deploy" / "systemd"
DEPLOY_DOC = REPO_ROOT / "docs" / "deploy.md"
ENV_EXAMPLE = REPO_ROOT / ".env.example"
INSTALL_ROOT = "/srv/curator"


def procfile() -> dict[str, str]:
    processes = {}
    for line in PROCFILE.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_-]+):\s*(.+)$", line)
        if match:
            processes[match.group(1)] = match.group(2)
    return processes


def unit(path: Path) -> dict[str, dict[str, list[str]]]:
    """A systemd unit file: section → key → values (keys repeat; backslash continues a line)."""
    text = re.sub(r"\\\n\s*", " ", path.read_text())
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        key, _, value = line.partition("=")
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def unit_files(suffix: str) -> list[Path]:
    return sorted(UNITS.glob(f"*{suffix}"))


def commands_of_units() -> list[tuple[str, list[str]]]:
    found = []
    for path in unit_files(".service"):
        service = unit(path)["Service"]
        for key in ("ExecStart", "ExecStartPre", "ExecStartPost", "ExecReload"):
            for command in service.get(key, []):
                found.append((f"{path.name} {key}", shlex.split(command)))
    return found


def all_commands() -> list[tuple[str, list[str]]]:
    from_procfile = [(f"Procfile {name}", shlex.split(cmd)) for name, cmd in procfile().items()]
    return from_procfile + commands_of_units()


def manage_py_calls() -> list[tuple[str, str, list[str]]]:
    calls = []
    for where, argv in all_commands():
        if "manage.py" in argv:
            at = argv.index("manage.py")
            calls.append((where, argv[at + 1], argv[at + 2 :]))
    return calls


def documented_variables() -> set[str]:
    names = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", ENV_EXAMPLE.read_text(), re.M))
    return names | set(re.findall(r"`([A-Z][A-Z0-9_]+)`", DEPLOY_DOC.read_text()))


def test_procfile_has_web_worker_and_release():
    assert set(procfile()) == {"web", "worker", "release"}


def test_every_unit_file_is_there():
    names = {path.name for path in UNITS.iterdir()}
    assert {"awesome-curator-web.service", "awesome-curator-worker.service"} <= names
    for timer in unit_files(".timer"):
        service = unit(timer)["Timer"].get("Unit", [timer.with_suffix(".service").name])[0]
        assert service in names, f"{timer.name} starts {service}, which is not in {UNITS}"
        assert unit(timer)["Timer"]["OnCalendar"], timer.name
        assert unit(UNITS / service)["Service"]["Type"] == ["oneshot"]


@pytest.mark.parametrize(
    ("where", "name", "args"), manage_py_calls(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_manage_py_command_and_option_exists(where, name, args, settings):
    # As deployed: the worker's commands check that the task backend is the database one.
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    commands = get_commands()
    assert name in commands, f"{where}: manage.py {name} does not exist"
    command = load_command_class(commands[name], name)
    parser = command.create_parser("manage.py", name)
    expanded = [re.sub(r"\$\{?\w+\}?", "1", arg) for arg in args]
    try:
        parser.parse_args(expanded)
    except (SystemExit, CommandError) as error:  # how argparse and Django refuse
        pytest.fail(f"{where}: manage.py {name} {' '.join(args)} is refused ({error})")


def test_the_cron_jobs_the_recipe_promises_are_timers():
    scheduled = {name for where, name, _ in manage_py_calls() if where.endswith("ExecStart")}
    assert {
        "publish_scheduled",
        "check_links",
        "refresh_metadata",
        "backup",
        "clearsessions",
    } <= scheduled
    assert "db_worker" in {name for _, name, _ in manage_py_calls()}


def test_gunicorn_options_are_gunicorn_options():
    from gunicorn.config import Config

    for where, argv in all_commands():
        if Path(argv[0]).name != "gunicorn":
            continue
        args = [re.sub(r"\$\{(\w+):-([^}]*)\}", r"\2", arg) for arg in argv[1:]]
        try:
            options = Config(usage="gunicorn").parser().parse_args(args)
        except SystemExit as error:
            pytest.fail(f"{where}: gunicorn refuses {' '.join(args)} ({error})")
        assert options.args == ["config.wsgi:application"], where


def test_every_variable_set_or_read_is_documented():
    documented = documented_variables()
    used: set[tuple[str, str]] = set()
    for path in unit_files(".service"):
        service = unit(path)["Service"]
        for assignment in service.get("Environment", []):
            for pair in shlex.split(assignment):
                used.add((path.name, pair.split("=", 1)[0]))
    for name, command in procfile().items():
        for variable in re.findall(r"\$\{?([A-Z_][A-Z0-9_]*)", command):
            used.add((f"Procfile {name}", variable))
    # Read by gunicorn itself, not written in the Procfile.
    used |= {("Procfile web", "WEB_CONCURRENCY"), ("Procfile web", "FORWARDED_ALLOW_IPS")}
    missing = sorted(f"{where}: {name}" for where, name in used if name not in documented)
    assert not missing, f"undocumented variables: {missing}"


def test_units_run_as_the_installed_site():
    for path in unit_files(".service"):
        service = unit(path)["Service"]
        assert service["WorkingDirectory"] == [INSTALL_ROOT], path.name
        assert service["EnvironmentFile"] == ["/etc/awesome-curator/env"], path.name
        assert service["User"] == ["curator"], path.name
    assert "/etc/awesome-curator/env" in DEPLOY_DOC.read_text()


def test_systemd_accepts_the_units(tmp_path):
    """``systemd-analyze verify``, with /srv/curator pointing at this checkout."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    for path in UNITS.iterdir():
        text = path.read_text().replace(INSTALL_ROOT, str(REPO_ROOT))
        (tmp_path / path.name).write_text(text)
    result = subprocess.run(
        [analyze, "verify", *sorted(str(p) for p in tmp_path.iterdir())],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert not result.stderr.strip(), result.stderr
