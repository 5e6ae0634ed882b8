"""dealercrm import customers FILE --company CODE [--dry-run] [--user USERNAME]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from dealercrm.core.models import AuditSource
from dealercrm.imports.management.commands._common import company_by_code, user_of
from dealercrm.imports.registry import KINDS
from dealercrm.imports.services import import_file


class Command(BaseCommand):
    help = (
        "Import an .xlsx or .csv file: all rows or none. Errors are listed by row (the header "
        "is row 1) and column, and the command exits non-zero without changing anything."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(KINDS), help="what the file holds")
        parser.add_argument("file", help="an .xlsx or .csv file")
        parser.add_argument("--company", required=True, help="the company code")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and summarise, write nothing"
        )
        parser.add_argument("--user", help="username recorded in the audit trail")

    def handle(self, *args: Any, **options: Any) -> None:
        kind = KINDS[options["kind"]]
        company = company_by_code(options["company"])
        actor = user_of(company, options["user"], kind.import_permission)
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        outcome = import_file(
            kind.name,
            path,
            company=company,
            actor=actor,
            source=AuditSource.IMPORT,
            write=not options["dry_run"],
            progress=self._progress if options["verbosity"] > 1 else None,
        )
        if not outcome.ok:
            for error in outcome.errors:
                self.stderr.write(str(error))
            more = outcome.error_count - len(outcome.errors)
            if more:
                self.stderr.write(_("… and %(count)s more errors.") % {"count": more})
            raise CommandError(
                _("%(count)s errors: nothing was imported.") % {"count": outcome.error_count}
            )
        assert outcome.summary is not None
        self.stdout.write(outcome.summary.describe())
        for note in outcome.summary.notes:
            self.stdout.write(note)
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was written."))

    def _progress(self, stage: str, done: int, total: int) -> None:
        self.stderr.write(f"{stage} {done}/{total}")
