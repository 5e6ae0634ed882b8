"""The customer list page: search, filters, sorting, paging, htmx partial and scoping."""

from decimal import Decimal

import pytest
from django.urls import reverse

from dealercrm.customers.choices import Channel, CustomerKind
from dealercrm.customers.models import Customer
from dealercrm.regions.models import SalesRegion
from dealercrm.testing import make_customer

LIST = reverse("customers:list")


def listed_codes(response) -> list[str]:
    return [customer.code for customer in response.context["page"].object_list]


def listed_names(response) -> list[str]:
    return [customer.name for customer in response.context["page"].object_list]


def test_search_by_pinyin_initials_finds_the_supermarket(client, personas):
    client.force_login(personas.boss)
    response = client.get(LIST, {"q": "hxcs"})
    assert response.status_code == 200
    assert listed_names(response) == ["华鑫超市"]
    assert "华鑫超市" in response.content.decode()


@pytest.mark.parametrize("query", ["华鑫", "huaxin", "138 1234", "A001", "汉城路"])
def test_search_matches_name_pinyin_phone_code_and_address(client, personas, query):
    client.force_login(personas.boss)
    response = client.get(LIST, {"q": query})
    assert listed_codes(response) == ["A001"]


def test_the_search_box_keeps_what_was_typed(client, personas):
    client.force_login(personas.boss)
    html = client.get(LIST, {"q": "hxcs"}).content.decode()
    assert 'id="search"' in html and 'name="q"' in html and 'value="hxcs"' in html


def test_filters_by_kind_channel_and_class_narrow_the_list(client, personas):
    company = personas.company
    make_customer(company, code="D1", name="东城分销", kind=CustomerKind.DISTRIBUTOR)
    make_customer(company, code="R1", name="老王饭店", channel=Channel.RESTAURANT)
    Customer.objects.filter(code="R1", company=company).update(abc_class="A")
    client.force_login(personas.manager)

    assert listed_codes(client.get(LIST, {"kind": "distributor"})) == ["D1"]
    assert listed_codes(client.get(LIST, {"channel": "restaurant"})) == ["R1"]
    assert listed_codes(client.get(LIST, {"abc_class": "A"})) == ["R1"]
    assert listed_codes(client.get(LIST, {"kind": "terminal", "q": "hxcs"})) == ["A001"]


def test_region_filter_includes_subregions(client, personas):
    company = personas.company
    city = SalesRegion.objects.create(company=company, name="城区片")
    east = SalesRegion.objects.create(company=company, name="东关", parent=city)
    elsewhere = SalesRegion.objects.create(company=company, name="乡镇片")
    make_customer(company, code="C1", name="城区客户", sales_region=city)
    make_customer(company, code="E1", name="东关客户", sales_region=east)
    make_customer(company, code="X1", name="乡镇客户", sales_region=elsewhere)
    client.force_login(personas.boss)

    assert listed_codes(client.get(LIST, {"region": city.pk})) == ["C1", "E1"]
    assert listed_codes(client.get(LIST, {"region": east.pk})) == ["E1"]


def test_owner_filter_and_unassigned_customers(client, personas):
    make_customer(personas.company, code="N1", name="无人负责")
    client.force_login(personas.clerk)
    assert listed_codes(client.get(LIST, {"owner": personas.other_rep.pk})) == ["A002"]
    assert listed_codes(client.get(LIST, {"owner": "none"})) == ["N1"]


def test_completeness_range_and_sorting(client, personas):
    company = personas.company
    fuller = make_customer(
        company,
        code="F1",
        name="资料齐全",
        staff_count=5,
        vehicle_count=2,
        business_area=Decimal("120.5"),
        warehouse_area=Decimal("80"),
        capital=Decimal("500000"),
    )
    client.force_login(personas.boss)
    lowest = Customer.objects.filter(company=company).order_by("completeness").first()

    highest_first = listed_codes(client.get(LIST, {"sort": "-completeness"}))
    assert highest_first[0] == "F1"
    only_full = client.get(LIST, {"completeness_min": fuller.completeness})
    assert listed_codes(only_full) == ["F1"]
    up_to_lowest = client.get(LIST, {"completeness_max": lowest.completeness})
    assert "F1" not in listed_codes(up_to_lowest)


def test_sorting_by_name_and_by_code(client, personas):
    make_customer(personas.company, code="S1", name="Zeta shop")
    make_customer(personas.company, code="S2", name="Alpha shop")
    client.force_login(personas.boss)
    assert listed_codes(client.get(LIST, {"q": "shop", "sort": "name"})) == ["S2", "S1"]
    assert listed_codes(client.get(LIST, {"q": "shop", "sort": "code"})) == ["S1", "S2"]


def test_an_invalid_filter_value_is_ignored_not_fatal(client, personas):
    client.force_login(personas.boss)
    response = client.get(LIST, {"completeness_min": "lots", "kind": "spaceship"})
    assert response.status_code == 200
    assert sorted(listed_codes(response)) == ["A001", "A002"]
    assert set(response.context["form"].errors) == {"completeness_min", "kind"}


def test_the_list_pages_by_fifty_and_page_links_keep_the_filters(client, personas):
    company = personas.company
    for number in range(1, 56):
        make_customer(company, code=f"P{number:03d}", name=f"批量{number}", channel=Channel.GROCERY)
    client.force_login(personas.boss)

    first = client.get(LIST, {"channel": "grocery"})
    assert first.context["page"].paginator.count == 55
    assert len(listed_codes(first)) == 50
    assert 'href="?channel=grocery&amp;page=2"' in first.content.decode()

    second = client.get(LIST, {"channel": "grocery", "page": 2})
    assert listed_codes(second) == [f"P{n:03d}" for n in range(51, 56)]


def test_htmx_gets_only_the_results_fragment(client, personas):
    client.force_login(personas.boss)
    response = client.get(LIST, {"q": "hxcs"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="customer-results"')
    assert "<html" not in html and 'id="search"' not in html
    assert "华鑫超市" in html and "红星便利店" not in html


def test_history_restore_by_htmx_gets_the_whole_page(client, personas):
    client.force_login(personas.boss)
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    html = client.get(LIST, headers=headers).content.decode()
    assert "<html" in html and 'id="search"' in html


def test_the_list_works_without_javascript(client, personas):
    client.force_login(personas.boss)
    html = client.get(LIST).content.decode()
    assert 'method="get"' in html and f'action="{LIST}"' in html
    assert 'id="apply-filters"' in html


def test_a_rep_sees_only_own_customers_and_no_rep_filter(client, personas):
    client.force_login(personas.rep)
    response = client.get(LIST)
    assert listed_codes(response) == ["A001"]
    assert "owner" not in response.context["form"].fields
    assert listed_codes(client.get(LIST, {"q": "红星"})) == []


def test_another_company_never_sees_alphas_rows(client, personas):
    client.force_login(personas.outsider)
    everything = client.get(LIST)
    assert [c.company_id for c in everything.context["page"].object_list] == [
        personas.outsider_company.pk
    ]
    assert listed_codes(client.get(LIST, {"q": "红星"})) == []
    found = client.get(LIST, {"q": "hxcs"}).context["page"].object_list
    assert [c.pk for c in found] == [personas.outsider_customer.pk]


def test_filter_choices_show_only_the_own_companys_regions_and_reps(client, personas):
    SalesRegion.objects.create(company=personas.outsider_company, name="贝塔片区")
    SalesRegion.objects.create(company=personas.company, name="阿尔法片区")
    client.force_login(personas.boss)
    html = client.get(LIST).content.decode()
    assert "阿尔法片区" in html and "贝塔片区" not in html
    assert "刘波" in html and "外人" not in html


def test_a_clerk_gets_import_and_a_manager_an_export_of_the_filtered_list(client, personas):
    client.force_login(personas.clerk)
    html = client.get(LIST, {"kind": "terminal", "page": 1}).content.decode()
    assert f'href="{reverse("imports:import_customers")}"' in html
    # Customer files hold personal data (§5): exporting them is for boss and manager only.
    assert reverse("imports:export_customers") not in html
    client.force_login(personas.manager)
    html = client.get(LIST, {"kind": "terminal", "page": 1}).content.decode()
    assert f'href="{reverse("imports:import_customers")}"' in html
    assert f'href="{reverse("imports:export_customers")}?kind=terminal"' in html


def test_reps_get_no_import_or_export_links(client, personas):
    client.force_login(personas.rep)
    context = client.get(LIST).context
    assert "import_url" not in context and "export_url" not in context


def test_list_queries_do_not_grow_with_the_rows_shown(
    client, personas, django_assert_max_num_queries
):
    region = SalesRegion.objects.create(company=personas.company, name="城区片")
    for number in range(30):
        make_customer(
            personas.company, rep=personas.rep, code=f"Q{number:02d}", sales_region=region
        )
    client.force_login(personas.boss)
    # session, user, regions, reps, count, page ids, page rows, company; and in the menu, the
    # boss's failed-jobs badge and the unread notifications
    with django_assert_max_num_queries(10):
        response = client.get(LIST)
    assert len(listed_codes(response)) == 32


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
