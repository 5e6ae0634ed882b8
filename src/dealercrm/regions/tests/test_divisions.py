import pytest
from django.core.exceptions import ValidationError

from dealercrm.regions.choices import DivisionLevel
from dealercrm.regions.models import Division
from dealercrm.regions.services import division_index, resolve_divisions

pytestmark = pytest.mark.django_db


def test_all_of_china_is_loaded_with_national_codes():
    assert Division.objects.filter(level=DivisionLevel.PROVINCE).count() == 34
    assert Division.objects.filter(level=DivisionLevel.COUNTY).count() > 2800
    xinye = Division.objects.get(code="411329")
    assert (xinye.name, xinye.parent.name, xinye.parent.parent.name) == (
        "新野县",
        "南阳市",
        "河南省",
    )


@pytest.mark.parametrize(
    ("address", "province", "city", "county"),
    [
        ("河南省郑州市金水区文化路88号", "河南省", "郑州市", "金水区"),
        ("河南南阳新野县城关镇", "河南省", "南阳市", "新野县"),
        ("郑州市金水区文化路", "河南省", "郑州市", "金水区"),
        ("新野县汉城路1号", "河南省", "南阳市", "新野县"),
        ("北京市朝阳区建国路1号", "北京市", None, "朝阳区"),
        ("河南省郑州市金水路1号", "河南省", "郑州市", None),  # 金水路 is a street, not 金水区
        ("南山区科技园", None, None, None),  # ambiguous: several 南山区 in China
    ],
)
def test_an_address_fills_province_city_and_county(address, province, city, county):
    match = division_index().parse_address(address)
    names = [d.name if d else None for d in (match.province, match.city, match.county)]
    assert names == [province, city, county]


def test_short_names_and_codes_are_accepted():
    match = resolve_divisions(province="河南", city="南阳", county="411329")
    assert match.county.name == "新野县"


def test_a_county_outside_the_given_city_is_an_error_naming_the_field():
    with pytest.raises(ValidationError) as error:
        resolve_divisions(province="河南", city="郑州", county="新野")
    assert list(error.value.message_dict) == ["county"]


def test_county_given_alone_fills_city_and_province():
    match = resolve_divisions(county="新野县")
    assert (match.province.name, match.city.name) == ("河南省", "南阳市")
