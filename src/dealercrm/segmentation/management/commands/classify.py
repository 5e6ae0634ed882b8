"""dealercrm classify --company CODE [--as-of YYYY-MM-DD]"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from dealercrm.companies.models import Company
from dealercrm.segmentation.services import classify


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(
            _("“%(value)s” is not a date; write it as YYYY-MM-DD.") % {"value": text}
        ) from error


class Command(BaseCommand):
    help = (
        "Recompute the ABC classes of a company's customers from the sales of the window ending "
        "on the as-of date (default today) and print the customers per class."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--company", required=True, help="the company code")
        parser.add_argument("--as-of", dest="as_of", help="the last day of the window, YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        company = Company.objects.filter(code=options["company"]).first()
        if company is None:
            raise CommandError(_("No company with code “%(code)s”.") % {"code": options["company"]})
        as_of = _day(options["as_of"]) if options["as_of"] else None
        run = classify(company, as_of=as_of)
        self.stdout.write(
            _("Classes as of %(date)s (%(customers)s customers):")
            % {"date": run.as_of.isoformat(), "customers": run.customers}
        )
        for abc in ("A", "B", "C"):
            share = run.share_of(abc)
            self.stdout.write(
                f"  {abc}: {run.count_of(abc)}" + (f"  ({share}%)" if share is not None else "")
            )
        self.stdout.write(
            _("%(changed)s customers changed class; %(ms)s ms.")
            % {"changed": run.class_changes, "ms": run.duration_ms}
        )
