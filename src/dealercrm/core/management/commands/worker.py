"""`dealercrm worker`: the background worker (django-tasks-db's db_worker) for every queue.

Imports, exports, recomputations and scheduled jobs run here, outside the web workers. This is
the one place that decides how the worker runs, so `serve`, `demo` and a system service all
start it the same way. Beside the queue, the worker runs the daily-job scheduler
(jobs/scheduler.py) once a minute in a daemon thread; with --batch it runs it once, first.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend


def db_worker_arguments(
    *, batch: bool = False, interval: float = 1.0, max_tasks: int | None = None
) -> list[str]:
    """The db_worker command line: every queue, no autoreload."""
    arguments = ["--queue-name", "*", "--no-reload", "--interval", str(interval)]
    if batch:
        arguments.append("--batch")
    if max_tasks is not None:
        arguments += ["--max-tasks", str(max_tasks)]
    return arguments


def check_database_backend() -> None:
    """Raise CommandError unless tasks are queued in the database (the worker's only source)."""
    backend = task_backends["default"]
    if not isinstance(backend, DatabaseBackend):
        raise CommandError(
            _(
                "Tasks are not queued in the database here (the task backend is %(backend)s), "
                "so there is nothing for the worker to run; see DEALERCRM_TASK_BACKEND."
            )
            % {"backend": type(backend).__name__}
        )


class Command(BaseCommand):
    help = "Run the background worker for every queue until SIGINT or SIGTERM."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="run the tasks waiting now, then exit"
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="seconds between looks at the queue when it is empty (default 1)",
        )
        parser.add_argument(
            "--max-tasks", type=int, default=None, help="exit after running this many tasks"
        )
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="do not enqueue the daily jobs from this worker (another one does)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        check_database_backend()
        if not options["no_scheduler"]:
            self._start_scheduler(batch=options["batch"], verbosity=options["verbosity"])
        arguments = db_worker_arguments(
            batch=options["batch"], interval=options["interval"], max_tasks=options["max_tasks"]
        )
        call_command("db_worker", *arguments, verbosity=options["verbosity"], stdout=self.stdout)

    def _start_scheduler(self, *, batch: bool, verbosity: int) -> None:
        """Enqueue the due daily jobs: once now with --batch, else once a minute in a thread."""
        from dealercrm.jobs.scheduler import SchedulerThread, enqueue_due_jobs

        if not batch:
            SchedulerThread().start()
            return
        report = enqueue_due_jobs()
        if verbosity > 0 and (report.enqueued or report.retried):
            self.stdout.write(
                _("Daily jobs enqueued: %(new)s new, %(retried)s retries.")
                % {"new": len(report.enqueued), "retried": len(report.retried)}
            )
