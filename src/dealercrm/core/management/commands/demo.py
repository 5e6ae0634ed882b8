"""`dealercrm demo`: try Dealer CRM on this machine with a realistic demo dealer.

Uses the embedded SQLite database under DEALERCRM_HOME (default ./var): migrates it, loads the
demo dealer once (a later run reuses it; --reset rebuilds it), prints the logins, then serves
http://127.0.0.1:8000 with the production setup of `dealercrm serve` (gunicorn, whitenoise for
the static files, DEBUG off) plus the background worker, until Ctrl+C.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils.translation import gettext as _

from dealercrm.accounts.choices import Role
from dealercrm.accounts.models import User
from dealercrm.care.demo import load_demo_care
from dealercrm.companies.services import local_today
from dealercrm.complaints.demo import load_demo_complaints
from dealercrm.core.management.commands.serve import (
    check_port_free,
    collect_static_if_needed,
    gunicorn_child,
    pending_migrations,
    run_supervised,
    worker_child,
)
from dealercrm.customers.demo import PASSWORD, demo_company, load_demo, remove_demo
from dealercrm.customers.models import Customer
from dealercrm.ownership.demo import load_demo_pool
from dealercrm.retention.services import refresh as refresh_warnings
from dealercrm.sales.demo import load_demo_sales
from dealercrm.satisfaction.demo import load_demo_surveys
from dealercrm.segmentation.services import classify
from dealercrm.staff.demo import load_demo_staff
from dealercrm.visits.demo import load_demo_visits

HOST = "127.0.0.1"
# The logins printed: the first user of each role, in this order.
SHOWN_ROLES = [Role.BOSS, Role.MANAGER, Role.CLERK, Role.REP]


def port_number(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 65535:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = (
        "Try Dealer CRM: migrate the embedded SQLite database, load a demo dealer, print the "
        "logins and serve http://127.0.0.1:8000 with the background worker."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--port", type=port_number, default=8000, help="port on 127.0.0.1 (default 8000)"
        )
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help="prepare the database and the demo dealer, print the logins, and exit",
        )
        parser.add_argument(
            "--reset", action="store_true", help="delete the demo dealer and load it afresh"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="load the demo even though DATABASE_URL names another database",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self._check_database(options["force"])
        if not options["no_serve"]:
            check_port_free(HOST, options["port"])
        self.stdout.write(_("Data directory: %s") % settings.DATA_HOME)
        if pending_migrations():
            self.stdout.write(_("Creating or upgrading the database tables…"))
            call_command("migrate", interactive=False, verbosity=0)
        self._ensure_demo(options["reset"])
        self._print_logins(f"http://{HOST}:{options['port']}/")
        if options["no_serve"]:
            return
        collect_static_if_needed()
        self._serve(options["port"])

    def _check_database(self, force: bool) -> None:
        if os.environ.get("DATABASE_URL") and not force:
            raise CommandError(
                _(
                    "DATABASE_URL is set, but the demo runs on its own SQLite database under "
                    "DEALERCRM_HOME. Unset DATABASE_URL to try the demo, or add --force to "
                    "load the demo dealer into that database."
                )
            )

    def _ensure_demo(self, reset: bool) -> None:
        company = demo_company()
        if company is not None and reset:
            remove_demo(company)
            company = None
        if company is not None:
            self.stdout.write(
                _("Using the demo dealer loaded earlier (%(name)s); --reset rebuilds it.")
                % {"name": company.name}
            )
            return
        began = time.monotonic()
        try:
            loaded = load_demo()
        except ValidationError as exc:
            raise CommandError(
                _("Cannot load the demo dealer: %s") % "; ".join(exc.messages)
            ) from exc
        lines = load_demo_sales(loaded.company)
        # Classes and warnings as the daily jobs would leave them, so the demo has them at once.
        classify(loaded.company)
        refresh_warnings(loaded.company)
        # Then the people and the field work: a few customers left in the pool, the staff's
        # profiles, skills and training, and two months of visits at each class's pace.
        load_demo_pool(loaded.company)
        load_demo_staff(loaded.company, local_today(loaded.company))
        load_demo_visits(loaded.company, local_today(loaded.company))
        # Care: satisfaction answers and complaints, and birthdays coming up.
        load_demo_surveys(loaded.company, local_today(loaded.company))
        load_demo_complaints(loaded.company, local_today(loaded.company))
        load_demo_care(loaded.company, local_today(loaded.company))
        self.stdout.write(
            _(
                "Loaded the demo dealer %(name)s: %(count)s customers, %(lines)s order lines "
                "over two years, in %(seconds).1f s."
            )
            % {
                "name": loaded.company.name,
                "count": loaded.customers,
                "lines": lines,
                "seconds": time.monotonic() - began,
            }
        )

    def _print_logins(self, url: str) -> None:
        company = demo_company()
        users = User.objects.filter(company=company, is_active=True).order_by("username")
        self.stdout.write("")
        self.stdout.write(_("Logins (password %(password)s for each):") % {"password": PASSWORD})
        shown = [next((u for u in users if u.role == role), None) for role in SHOWN_ROLES]
        for user in filter(None, shown):
            self.stdout.write(
                f"  {user.username:<10} {user.display_name} ({user.get_role_display()})"
            )
        others = [u.username for u in users if u not in shown and u.role != Role.REP]
        reps = [u.username for u in users if u not in shown and u.role == Role.REP]
        others += [f"{reps[0]} … {reps[-1]}"] if len(reps) > 2 else reps
        if others:
            self.stdout.write(
                _("  Also: %(logins)s. A rep sees only the customers assigned to them.")
                % {"logins": ", ".join(others)}
            )
        count = Customer.objects.for_company(company).count()
        self.stdout.write(
            _("Sign in at %(url)s to see the %(count)s customers of the demo dealer.")
            % {"url": url, "count": count}
        )

    def _serve(self, port: int) -> None:
        url = f"http://{HOST}:{port}/"
        # This process only supervises from here on; the children open their own connections.
        connections.close_all()

        def announce() -> None:
            self.stdout.write("")
            self.stdout.write(
                _("Dealer CRM is running at %(url)s. Ctrl+C stops it.") % {"url": url}
            )

        code = run_supervised(
            [gunicorn_child(f"{HOST}:{port}", 2, quiet=True), worker_child()],
            self.stdout,
            ready=(HOST, port),
            on_ready=announce,
        )
        if code:
            sys.exit(code)
