"""dealercrm rfm --company CODE [--as-of YYYY-MM-DD]"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from dealercrm.companies.models import Company
from dealercrm.retention.services import refresh


class Command(BaseCommand):
    help = (
        "Recompute the company's RFM scores and slipping-away warnings (dormant, declining) "
        "as of a date (default today), replacing the previous ones."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--company", required=True, help="the company code")
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD, default today")

    def handle(self, *args: Any, **options: Any) -> None:
        company = Company.objects.filter(code=options["company"]).first()
        if company is None:
            raise CommandError(_("No company with code “%(code)s”.") % {"code": options["company"]})
        as_of = None
        if options["as_of"]:
            try:
                as_of = datetime.date.fromisoformat(options["as_of"])
            except ValueError as exc:
                raise CommandError(
                    _("--as-of: “%(value)s” is not a date; write it as YYYY-MM-DD.")
                    % {"value": options["as_of"]}
                ) from exc
        result = refresh(company, as_of)
        self.stdout.write(result.describe())
