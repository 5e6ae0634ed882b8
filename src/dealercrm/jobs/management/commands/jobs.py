"""dealercrm jobs run NAME --company CODE [--date YYYY-MM-DD] | jobs list [--company CODE]"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from dealercrm.companies.models import Company
from dealercrm.jobs import services
from dealercrm.jobs.choices import RunStatus
from dealercrm.jobs.models import JobRun
from dealercrm.jobs.registry import DAILY_JOBS


def _company(code: str) -> Company:
    company = Company.objects.filter(code=code).first()
    if company is None:
        raise CommandError(_("No company with code “%(code)s”.") % {"code": code})
    return company


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(
            _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": text}
        ) from error


class Command(BaseCommand):
    help = "Run a daily job now for one company, or list the recent runs of the daily jobs."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        run = actions.add_parser("run", help="run one job now, in this process")
        run.add_argument("name", help="the job: " + ", ".join(job.name for job in DAILY_JOBS))
        run.add_argument("--company", required=True, help="the company code")
        run.add_argument(
            "--date", help="the day to run it for, YYYY-MM-DD (default: the company's today)"
        )
        listing = actions.add_parser("list", help="show the recent runs")
        listing.add_argument("--company", help="only this company's runs")
        listing.add_argument(
            "--limit", type=int, default=30, help="how many runs to show (default 30)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "run":
            self._run(options)
        else:
            self._list(options)

    def _run(self, options: dict) -> None:
        company = _company(options["company"])
        run_date = _date(options["date"]) if options["date"] else services.local_today(company)
        try:
            run = services.run_now(company, options["name"], run_date)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if run.status != RunStatus.DONE:
            raise CommandError(
                _("%(job)s failed for %(company)s on %(date)s: %(error)s")
                % {
                    "job": run.job,
                    "company": company.code,
                    "date": run.run_date.isoformat(),
                    "error": run.error,
                }
            )
        self.stdout.write(
            _("%(job)s done for %(company)s on %(date)s: %(summary)s")
            % {
                "job": run.job,
                "company": company.code,
                "date": run.run_date.isoformat(),
                "summary": run.summary,
            }
        )

    def _list(self, options: dict) -> None:
        runs = JobRun.objects.select_related("company").order_by("-run_date", "-id")
        if options["company"]:
            runs = runs.for_company(_company(options["company"]))
        rows = list(runs[: max(1, options["limit"])])
        if not rows:
            self.stdout.write(_("No job has run yet."))
            return
        for run in rows:
            finished = (
                timezone.localtime(run.finished_at, services.company_zone(run.company)).strftime(
                    "%Y-%m-%d %H:%M"
                )
                if run.finished_at
                else "-"
            )
            self.stdout.write(
                "\t".join(
                    [
                        run.company.code,
                        run.job,
                        run.run_date.isoformat(),
                        run.get_status_display(),
                        str(run.attempts),
                        finished,
                        run.error if run.status == RunStatus.FAILED else run.summary,
                    ]
                )
            )
