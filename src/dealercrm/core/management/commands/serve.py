"""`dealercrm serve`: the web app under gunicorn and the background worker, as one service.

This process only supervises: it checks the database, collects the static files when they
changed, then starts gunicorn and the worker as child processes and stops both (SIGTERM, then
SIGKILL after a grace period) when it receives SIGINT or SIGTERM or when either child exits.
`dealercrm demo` serves the same way.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gunicorn
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

STATIC_STAMP = ".dealercrm-static"
STOP_GRACE_SECONDS = 20.0
# gunicorn lets a worker finish its request for this long on SIGTERM (within our grace period).
GUNICORN_GRACEFUL_TIMEOUT = 10


@dataclass(frozen=True)
class Child:
    """A process the supervisor starts and stops."""

    name: str
    argv: list[str]

    def command_line(self) -> str:
        return shlex.join(self.argv)


def gunicorn_child(bind: str, workers: int, *, quiet: bool = False) -> Child:
    """gunicorn serving the WSGI app; `quiet` logs only warnings and no access lines."""
    argv = [sys.executable, "-m", "gunicorn", "dealercrm.wsgi:application"]
    argv += ["--bind", bind, "--workers", str(workers)]
    argv += ["--graceful-timeout", str(GUNICORN_GRACEFUL_TIMEOUT)]
    argv += ["--log-level", "warning"] if quiet else ["--access-logfile", "-"]
    if gunicorn.version_info >= (27, 0):
        # Its control socket defaults to one path per user: a second server would take it over.
        argv.append("--no-control-socket")
    return Child("web", argv)


def worker_child() -> Child:
    return Child("worker", [sys.executable, "-m", "dealercrm", "worker"])


def tcp_address(bind: str) -> tuple[str, int] | None:
    """(host, port) of a gunicorn bind such as 127.0.0.1:8000 or [::1]:8000; None for unix:."""
    if bind.startswith(("unix:", "fd://")):
        return None
    host, _sep, port = bind.rpartition(":")
    if not port.isdigit():
        return None
    host = host.strip("[]") or "0.0.0.0"
    return host, int(port)


def check_port_free(host: str, port: int) -> None:
    """Raise CommandError when something already listens on host:port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise CommandError(
                _("Cannot listen on %(host)s:%(port)s (%(reason)s); choose another port.")
                % {"host": host, "port": port, "reason": exc.strerror or exc}
            ) from exc


def is_listening(host: str, port: int) -> bool:
    target = "127.0.0.1" if host in ("0.0.0.0", "") else "::1" if host == "::" else host
    try:
        with socket.create_connection((target, port), timeout=0.2):
            return True
    except OSError:
        return False


# ---------------------------------------------------------------------------- sanity checks


def pending_migrations() -> list[str]:
    """Migrations not yet applied to the default database, as app.name."""
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def static_fingerprint() -> str:
    """A digest of every static source file's path, size and modification time."""
    entries = []
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            stat = os.stat(storage.path(path))
            entries.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(sorted(entries)).encode()).hexdigest()


def static_is_current() -> bool:
    stamp = Path(settings.STATIC_ROOT) / STATIC_STAMP
    return stamp.exists() and stamp.read_text().strip() == static_fingerprint()


def collect_static_if_needed() -> bool:
    """Run collectstatic when the static sources changed since the last run; True if it ran."""
    if static_is_current():
        return False
    call_command("collectstatic", interactive=False, clear=True, verbosity=0)
    (Path(settings.STATIC_ROOT) / STATIC_STAMP).write_text(static_fingerprint())
    return True


# ---------------------------------------------------------------------------- supervision


def _die_with_parent() -> Callable[[], None] | None:
    """On Linux, a pre-exec hook so that a child gets SIGTERM if this process dies abruptly."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    pr_set_pdeathsig = 1

    def hook() -> None:
        prctl(pr_set_pdeathsig, signal.SIGTERM)

    return hook


def _stop(processes: dict[str, subprocess.Popen], grace: float) -> None:
    """SIGTERM every running child, then SIGKILL those still running after `grace` seconds."""
    for process in processes.values():
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + grace
    for process in processes.values():
        try:
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run_supervised(
    children: list[Child],
    out: OutputWrapper | Any,
    *,
    ready: tuple[str, int] | None = None,
    on_ready: Callable[[], None] | None = None,
    grace: float = STOP_GRACE_SECONDS,
) -> int:
    """Run the children until a signal or until one exits; stop them all; return an exit code.

    0 after SIGINT / SIGTERM, else the exit code of the child that ended first (1 if it ended
    cleanly: a service is not supposed to end). `on_ready` is called once `ready` accepts
    connections.
    """
    received: list[int] = []
    handled = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for signum in handled:
            previous[signum] = signal.signal(signum, lambda number, _frame: received.append(number))
    processes: dict[str, subprocess.Popen] = {}
    try:
        for child in children:
            # A session of its own: Ctrl+C reaches only this process, which stops the children
            # in order, instead of every process at once.
            processes[child.name] = subprocess.Popen(
                child.argv, start_new_session=True, preexec_fn=_die_with_parent()
            )
        return _watch(processes, out, received, ready, on_ready)
    finally:
        _stop(processes, grace)
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _watch(
    processes: dict[str, subprocess.Popen],
    out: OutputWrapper | Any,
    received: list[int],
    ready: tuple[str, int] | None,
    on_ready: Callable[[], None] | None,
) -> int:
    announced = ready is None
    while not received:
        for name, process in processes.items():
            code = process.poll()
            if code is not None:
                message = _("The %(name)s process ended (exit code %(code)s); stopping the others.")
                out.write(message % {"name": name, "code": code} + "\n")
                return code or 1
        if not announced and is_listening(*ready):
            announced = True
            if on_ready is not None:
                on_ready()
        time.sleep(0.2)
    out.write(_("Stopping (%(signal)s)…") % {"signal": signal.Signals(received[0]).name} + "\n")
    return 0


# ---------------------------------------------------------------------------- command


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = (
        "Serve Dealer CRM in production: gunicorn (dealercrm.wsgi:application) plus the "
        "background worker; both stop on SIGINT or SIGTERM."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind",
            default="127.0.0.1:8000",
            help="address for gunicorn: HOST:PORT or unix:PATH (default 127.0.0.1:8000)",
        )
        parser.add_argument(
            "--workers",
            type=positive_int,
            default=2,
            help="gunicorn worker processes (default 2)",
        )
        parser.add_argument(
            "--migrate",
            action="store_true",
            help="apply pending database migrations first (otherwise refuse to start)",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="report what would be started and exit, changing nothing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        children = [gunicorn_child(options["bind"], options["workers"]), worker_child()]
        if options["check"]:
            self._report(children)
            return
        self._prepare(options["migrate"])
        address = tcp_address(options["bind"])
        if address is not None:
            check_port_free(*address)
        if settings.DEBUG:
            self.stderr.write(_("DEALERCRM_DEBUG is on: do not serve the public like this."))
        code = run_supervised(
            children,
            self.stdout,
            ready=address,
            on_ready=lambda: self.stdout.write(
                _("Serving on %(bind)s (Ctrl+C stops).") % {"bind": options["bind"]}
            ),
        )
        if code:
            sys.exit(code)

    def _prepare(self, migrate: bool) -> None:
        pending = pending_migrations()
        if pending and not migrate:
            raise CommandError(
                _(
                    "The database has %(count)s unapplied migrations (%(first)s…); run "
                    "`dealercrm migrate` or start with `dealercrm serve --migrate`."
                )
                % {"count": len(pending), "first": pending[0]}
            )
        if pending:
            call_command("migrate", interactive=False, verbosity=1, stdout=self.stdout)
        if collect_static_if_needed():
            self.stdout.write(_("Collected the static files into %s.") % settings.STATIC_ROOT)

    def _report(self, children: list[Child]) -> None:
        pending = pending_migrations()
        self.stdout.write(
            _("Migrations: %(count)s unapplied.") % {"count": len(pending)}
            if pending
            else _("Migrations: up to date.")
        )
        self.stdout.write(
            _("Static files: up to date.")
            if static_is_current()
            else _("Static files: would be collected into %s.") % settings.STATIC_ROOT
        )
        for child in children:
            self.stdout.write(f"{child.name}: {child.command_line()}")
