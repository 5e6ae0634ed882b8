from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dealercrm.companies.services import create_company


class Command(BaseCommand):
    help = "Manage companies: `company add CODE NAME` creates one."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="create a company")
        add.add_argument("code", help="short unique code, e.g. HNXY")
        add.add_argument("name", help="the company's name")

    def handle(self, *args, **options) -> None:
        try:
            company = create_company(options["code"], options["name"])
        except ValidationError as exc:
            raise CommandError("; ".join(_messages(exc))) from exc
        self.stdout.write(f"created company {company.code} {company.name}")


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [f"{field}: {m}" for field, msgs in exc.message_dict.items() for m in msgs]
    return list(exc.messages)
