import pytest
import python_calamine
from django.core.management import call_command
from django.core.management.base import CommandError

from dealercrm.imports.tests.helpers import read_csv


def _codes_and_names(path):
    return [row[:2] for row in read_csv(path)[1:]]


def test_an_export_holds_only_its_own_company(personas, tmp_path):
    alpha, beta = tmp_path / "alpha.csv", tmp_path / "beta.csv"
    call_command("export", "customers", str(alpha), "--company", "ALPHA")
    call_command("export", "customers", str(beta), "--company", "BETA")
    assert _codes_and_names(alpha) == [["A001", "华鑫超市"], ["A002", "红星便利店"]]
    assert _codes_and_names(beta) == [["A001", "华鑫超市"]]
    assert "139 1234 5678" in beta.read_text(encoding="utf-8-sig")
    assert "139 1234 5678" not in alpha.read_text(encoding="utf-8-sig")


def test_an_xlsx_export_has_the_header_row_and_one_row_per_customer(personas, tmp_path):
    path = tmp_path / "customers.xlsx"
    call_command("export", "customers", str(path), "--company", "ALPHA", "--user", "manager")
    rows = python_calamine.load_workbook(str(path)).get_sheet_by_index(0).to_python()
    assert len(rows[0]) == 37 and rows[0][-1] == "客户等级"
    assert [row[0] for row in rows[1:]] == ["A001", "A002"]
    assert rows[1][rows[0].index("电话")] == "138 1234 5678"
    assert rows[1][rows[0].index("负责业务员")] == "alice"


def test_the_export_command_refuses_a_rep_and_a_user_of_another_company(personas, tmp_path):
    path = tmp_path / "c.csv"
    for username in ("alice", "outsider"):
        with pytest.raises(CommandError):
            call_command("export", "customers", str(path), "--company", "ALPHA", "--user", username)
    assert not path.exists()


def test_an_unknown_company_or_format_is_an_error(personas, tmp_path):
    with pytest.raises(CommandError):
        call_command("export", "customers", str(tmp_path / "c.csv"), "--company", "NOPE")
    with pytest.raises(CommandError):
        call_command("export", "customers", str(tmp_path / "c.pdf"), "--company", "ALPHA")
