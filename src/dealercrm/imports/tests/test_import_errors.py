import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from dealercrm.imports.tests.helpers import database_state, write_csv

HEADER = [
    "客户编码",
    "客户名称",
    "上级客户编码",
    "负责人",
    "负责人手机",
    "负责人生日",
    "店内广告",
    "负责业务员",
    "微信号",  # not a column of the import
]


def _run(path, capsys):
    with translation.override("en"), pytest.raises(CommandError) as error:
        call_command("import", "customers", str(path), "--company", "ALPHA")
    return str(error.value), capsys.readouterr().err


def test_a_bad_file_names_every_bad_row_and_column_and_changes_nothing(personas, tmp_path, capsys):
    rows = [
        HEADER,
        ["N001", "好邻居便利店", "", "张三", "13812345678", "1975-08-15", "是", "alice", "wx"],
        ["N002", "", "", "", "", "", "", "", "wx"],  # row 3: no name
        ["N003", "坏手机号", "", "李四", "1381234", "", "", "", "wx"],  # row 4
        ["N001", "重复编码", "", "", "", "", "", "", "wx"],  # row 5: code of row 2
        ["N005", "不存在的日子", "", "王五", "", "1975-02-30", "", "", "wx"],  # row 6
        ["N006", "闰月不对", "", "赵六", "", "农历2023年闰五月初一", "", "", "wx"],  # row 7
        ["N007", "是否写错", "", "", "", "", "也许", "", "wx"],  # row 8
        ["N008", "无此业务员", "", "", "", "", "", "nobody", "wx"],  # row 9
        ["N009", "无此上级", "X999", "", "", "", "", "", "wx"],  # row 10
    ]
    before = database_state()
    message, err = _run(write_csv(tmp_path / "bad.csv", rows), capsys)
    assert database_state() == before
    assert "9 errors" in message
    lines = err.splitlines()
    expected = [
        ("Row 1, 微信号", "Unknown column"),
        ("Row 3, 客户名称", "required"),
        ("Row 4, 负责人手机", "1381234"),
        ("Row 5, 客户编码", "row 2"),
        ("Row 6, 负责人生日", "1975-02-30"),
        ("Row 7, 负责人生日", "leap month"),
        ("Row 8, 店内广告", "也许"),
        ("Row 9, 负责业务员", "nobody"),
        ("Row 10, 上级客户编码", "X999"),
    ]
    assert len(lines) == len(expected)
    for line, (where, detail) in zip(lines, expected, strict=True):
        assert line.startswith(where), line
        assert detail in line, line


def test_an_unknown_column_is_named_and_nothing_is_written(personas, tmp_path, capsys):
    rows = [["客户编码", "客户名称", "微信号"], ["N1", "新店", "wx123"]]
    before = database_state()
    _message, err = _run(write_csv(tmp_path / "bad.csv", rows), capsys)
    assert database_state() == before
    assert "Row 1, 微信号: Unknown column" in err


def test_a_missing_required_column_and_a_duplicate_column_are_errors(personas, tmp_path, capsys):
    rows = [["客户编码", "电话", "phone"], ["N1", "13812345678", "13812345679"]]
    _message, err = _run(write_csv(tmp_path / "bad.csv", rows), capsys)
    assert "phone" in err and "twice" in err
    assert "客户名称" in err and "missing" in err


def test_a_parent_that_is_not_a_sub_distributor_is_refused(personas, tmp_path, capsys):
    # A002 is a terminal; N2's parent N1 is made a terminal in the same file.
    rows = [
        ["客户编码", "客户名称", "客户类型", "上级客户编码"],
        ["N1", "甲", "终端", ""],
        ["N2", "乙", "终端", "N1"],
        ["N3", "丙", "终端", "A002"],
    ]
    _message, err = _run(write_csv(tmp_path / "bad.csv", rows), capsys)
    assert "Row 3, 上级客户编码" in err and "Row 4, 上级客户编码" in err


def test_a_manager_may_own_customers_but_a_clerk_may_not(personas, tmp_path, capsys):
    rows = [["客户编码", "客户名称", "负责业务员"], ["N1", "甲", "manager"], ["N2", "乙", "clerk"]]
    _message, err = _run(write_csv(tmp_path / "bad.csv", rows), capsys)
    assert err.splitlines() == [
        "Row 3, 负责业务员: “clerk” is not a sales rep or manager.",
    ]


def test_a_rep_of_another_company_is_unknown_here(personas, tmp_path, capsys):
    rows = [["客户编码", "客户名称", "负责业务员"], ["N1", "甲", "outsider"]]
    _message, err = _run(write_csv(tmp_path / "bad.csv", rows), capsys)
    assert "Row 2, 负责业务员" in err


def test_errors_beyond_the_limit_are_counted(personas, tmp_path, capsys):
    rows = [["客户编码", "客户名称"]] + [[f"N{i}", ""] for i in range(1100)]
    message, err = _run(write_csv(tmp_path / "bad.csv", rows), capsys)
    assert "1100 errors" in message
    assert "100 more errors" in err


def test_an_unreadable_file_is_an_error_not_a_crash(personas, tmp_path, capsys):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"not a workbook")
    _message, err = _run(path, capsys)
    assert "cannot be read" in err
