from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dealercrm.accounts.choices import Role
from dealercrm.accounts.services import create_user
from dealercrm.companies.management.commands.company import _messages
from dealercrm.companies.models import Company


class Command(BaseCommand):
    help = "Manage logins: `user add USERNAME --company CODE --role ROLE --password PW`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="create a login")
        add.add_argument("username")
        add.add_argument("--company", required=True, help="company code")
        add.add_argument("--role", required=True, choices=Role.values)
        add.add_argument("--password", required=True)
        add.add_argument("--name", default="", help="the person's name, e.g. 张伟")

    def handle(self, *args, **options) -> None:
        company = Company.objects.filter(code=options["company"]).first()
        if company is None:
            raise CommandError(f"no company with code {options['company']}")
        try:
            user = create_user(
                username=options["username"],
                company=company,
                role=options["role"],
                password=options["password"],
                display_name=options["name"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(_messages(exc))) from exc
        self.stdout.write(f"created user {user.username} ({user.role}) in {company.code}")
