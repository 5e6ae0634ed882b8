"""The `dealercrm` console script: every Django management command, under one name."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dealercrm.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv if argv is None else ["dealercrm", *argv]
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
