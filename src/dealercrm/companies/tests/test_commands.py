import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dealercrm.accounts.models import User
from dealercrm.companies.models import Company

pytestmark = pytest.mark.django_db


def test_company_add_then_user_add_creates_a_login_of_that_company(capsys):
    call_command("company", "add", "HNXY", "新野鑫源商贸")
    call_command(
        "user", "add", "zhangwei", "--company", "HNXY", "--role", "rep", "--password", "pw-123456"
    )
    user = User.objects.get(username="zhangwei")
    assert user.company == Company.objects.get(code="HNXY")
    assert user.role == "rep"
    assert user.check_password("pw-123456")


def test_a_taken_company_code_is_refused():
    call_command("company", "add", "HNXY", "甲")
    with pytest.raises(CommandError):
        call_command("company", "add", "HNXY", "乙")
    assert Company.objects.get(code="HNXY").name == "甲"


def test_user_add_for_an_unknown_company_fails_and_creates_nothing():
    with pytest.raises(CommandError):
        call_command(
            "user", "add", "x", "--company", "NOPE", "--role", "rep", "--password", "pw-123456"
        )
    assert not User.objects.filter(username="x").exists()


def test_a_bad_role_is_refused():
    call_command("company", "add", "HNXY", "甲")
    with pytest.raises(CommandError):
        call_command(
            "user", "add", "x", "--company", "HNXY", "--role", "king", "--password", "pw-123456"
        )


def test_the_console_script_runs_django_commands(tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "dealercrm", "help", "company"],
        capture_output=True,
        text=True,
        env={"DEALERCRM_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "company add" in result.stdout
