"""dealercrm export customers FILE --company CODE [--user USERNAME]"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from dealercrm.imports.management.commands._common import company_by_code, user_of
from dealercrm.imports.registry import KINDS
from dealercrm.imports.services import export_file


class Command(BaseCommand):
    help = (
        "Export to an .xlsx or .csv file (by the extension) with the import's columns, so the "
        "file imports back unchanged. Without --user, the whole company. Every export is "
        "recorded in the export log (as the command line, or as --user)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(KINDS), help="what to export")
        parser.add_argument("file", help="the .xlsx or .csv file to write")
        parser.add_argument("--company", required=True, help="the company code")
        parser.add_argument("--user", help="export only what this user may see")

    def handle(self, *args: Any, **options: Any) -> None:
        kind = KINDS[options["kind"]]
        company = company_by_code(options["company"])
        user = user_of(company, options["user"], kind.export_permission)
        try:
            count = export_file(kind.name, options["file"], company=company, user=user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            _("%(count)s rows written to %(path)s.") % {"count": count, "path": options["file"]}
        )
