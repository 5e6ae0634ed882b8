from decimal import Decimal

from django.utils import translation

from dealercrm.core.models import AuditSource
from dealercrm.customers import services
from dealercrm.customers.choices import ContactRole, CustomerKind, MarketScale
from dealercrm.customers.completeness import assess
from dealercrm.customers.models import Customer
from dealercrm.regions.models import Division, SalesRegion
from dealercrm.testing import make_customer

SRC = AuditSource.SYSTEM
PERSONAL = {
    "hobbies": "钓鱼",
    "habits": "喝茶",
    "personality": "爽快",
    "family": "一儿一女",
    "origin": "本地人",
    "education": "高中",
    "background": "退伍军人",
    "birthday_calendar": "lunar",
    "birthday_month": 8,
    "birthday_day": 15,
}


def _stored(customer):
    return Customer.objects.get(pk=customer.pk)


def test_a_bare_file_scores_zero_and_lists_every_missing_item(personas):
    customer = make_customer(personas.company, code="E1", name="空白客户")
    result = assess(customer, [], [])
    assert result.score == 0
    assert len(result.missing) == 29


def test_owner_with_full_personal_profile_scores_section_five_and_one_eighth_of_three(personas):
    customer = make_customer(personas.company, code="P1", name="个人资料全")
    services.save_contact(
        customer,
        actor=None,
        source=SRC,
        fields={"role": ContactRole.OWNER, "name": "王老板"} | PERSONAL,
    )
    # §5 is 35 points, all 8 items done; §3 has 8 items, one done (an owner): 25 / 8.
    assert _stored(customer).completeness == round(35 + 25 / 8)


def test_a_complete_file_scores_one_hundred(personas):
    region = SalesRegion.objects.create(company=personas.company, name="城区片")
    xinye = Division.objects.get(code="411329")
    customer = make_customer(
        personas.company,
        code="F1",
        name="完整客户",
        kind=CustomerKind.TERMINAL,
        sales_region=region,
        province=xinye.parent.parent,
        city=xinye.parent,
        county=xinye,
        address="新野县汉城路1号",
        latitude=Decimal("32.52"),
        longitude=Decimal("112.36"),
        market_scale=MarketScale.COUNTY_TOWN,
        phone="+8637766123456",
        indoor_ads=True,
        outdoor_ads=False,
        staff_count=3,
        vehicle_count=1,
        business_area=Decimal("120"),
        warehouse_area=Decimal("40"),
        capital=Decimal("300000"),
    )
    owner = {"role": ContactRole.OWNER, "name": "王老板", "mobile": "+8613812345678"}
    services.save_contact(customer, actor=None, source=SRC, fields=owner | PERSONAL)
    services.save_contact(
        customer,
        actor=None,
        source=SRC,
        fields={
            "role": ContactRole.CONTACT,
            "is_primary": True,
            "name": "小李",
            "mobile": "+8613912345678",
        },
    )
    services.save_carried_product(
        customer,
        actor=None,
        source=SRC,
        fields={
            "brand": "鑫源",
            "product": "550ml 纯净水",
            "price": Decimal("1.50"),
            "monthly_volume": Decimal("200"),
            "is_competitor": False,
        },
    )
    stored = _stored(customer)
    assert stored.completeness == 100
    assert (
        assess(stored, list(stored.contacts.all()), list(stored.carried_products.all())).missing
        == []
    )


def test_municipality_customers_need_no_city(personas):
    chaoyang = Division.objects.get(code="110105")
    customer = make_customer(
        personas.company, code="BJ1", province=chaoyang.parent, county=chaoyang
    )
    with translation.override("en"):
        missing = [str(label) for _section, label in assess(customer, [], []).missing]
    assert "city" not in missing and "county" not in missing
