"""The sales-region page (the company's territory tree) and the division options of the
cascading province / city / county selects."""

from django.urls import reverse

from dealercrm.customers.models import Customer
from dealercrm.regions.models import SalesRegion
from dealercrm.testing import make_customer

LIST = reverse("regions:list")
CREATE = reverse("regions:create")


def region(personas, name: str, parent: SalesRegion | None = None) -> SalesRegion:
    return SalesRegion.objects.create(company=personas.company, name=name, parent=parent)


def test_a_manager_adds_a_region_under_another(client, personas):
    city = region(personas, "城区片")
    client.force_login(personas.manager)
    response = client.post(CREATE, {"name": "东关", "parent": city.pk, "notes": "东关街道"})
    assert response.status_code == 302
    added = SalesRegion.objects.get(company=personas.company, name="东关")
    assert (added.parent, added.notes) == (city, "东关街道")


def test_the_tree_lists_subregions_under_their_parent(client, personas):
    city = region(personas, "1城区片")
    region(personas, "东关", parent=city)
    region(personas, "2乡镇片")
    client.force_login(personas.rep)
    rows = client.get(LIST).context["rows"]
    assert [(row["region"].name, row["depth"]) for row in rows] == [
        ("1城区片", 0),
        ("东关", 1),
        ("2乡镇片", 0),
    ]


def test_a_rep_counts_only_own_customers_in_a_region(client, personas):
    city = region(personas, "城区片")
    make_customer(personas.company, rep=personas.rep, code="M1", sales_region=city)
    make_customer(personas.company, rep=personas.other_rep, code="O1", sales_region=city)
    client.force_login(personas.rep)
    (row,) = client.get(LIST).context["rows"]
    assert (row["customers"], row["total"]) == (1, 1)


def test_customer_counts_include_subregions_for_the_boss(client, personas):
    city = region(personas, "城区片")
    east = region(personas, "东关", parent=city)
    make_customer(personas.company, code="E1", sales_region=east)
    make_customer(personas.company, code="C1", sales_region=city)
    client.force_login(personas.boss)
    rows = client.get(LIST).context["rows"]
    totals = {row["region"].name: (row["customers"], row["total"]) for row in rows}
    assert totals == {"城区片": (1, 2), "东关": (1, 1)}


def test_a_duplicate_name_is_an_error_on_the_name(client, personas):
    region(personas, "城区片")
    client.force_login(personas.clerk)
    response = client.post(CREATE, {"name": "城区片"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name"}
    assert SalesRegion.objects.filter(company=personas.company).count() == 1


def test_the_same_name_may_exist_in_another_company(client, personas):
    region(personas, "城区片")
    client.force_login(personas.outsider)
    client.post(CREATE, {"name": "城区片"})
    assert SalesRegion.objects.filter(company=personas.outsider_company, name="城区片").exists()


def test_rename_and_move(client, personas):
    city = region(personas, "城区片")
    east = region(personas, "东关")
    client.force_login(personas.boss)
    url = reverse("regions:edit", args=[east.pk])
    response = client.post(url, {"name": "东关街道", "parent": city.pk})
    assert response.status_code == 302
    east.refresh_from_db()
    assert (east.name, east.parent) == ("东关街道", city)


def test_a_region_cannot_move_under_its_own_subregion(client, personas):
    city = region(personas, "城区片")
    east = region(personas, "东关", parent=city)
    client.force_login(personas.boss)
    response = client.post(
        reverse("regions:edit", args=[city.pk]), {"name": "城区片", "parent": east.pk}
    )
    assert set(response.context["form"].errors) == {"parent"}
    city.refresh_from_db()
    assert city.parent is None


def test_delete_is_refused_while_customers_or_subregions_use_the_region(client, personas):
    city = region(personas, "城区片")
    east = region(personas, "东关", parent=city)
    customer = make_customer(personas.company, code="E1", sales_region=east)
    client.force_login(personas.manager)
    assert (
        'id="confirm-delete"'
        in client.get(reverse("regions:delete", args=[city.pk])).content.decode()
    )

    client.post(reverse("regions:delete", args=[city.pk]))
    client.post(reverse("regions:delete", args=[east.pk]))
    assert SalesRegion.objects.filter(pk__in=[city.pk, east.pk]).count() == 2

    Customer.objects.filter(pk=customer.pk).update(sales_region=None)
    client.post(reverse("regions:delete", args=[east.pk]))
    client.post(reverse("regions:delete", args=[city.pk]))
    assert not SalesRegion.objects.filter(pk__in=[city.pk, east.pk]).exists()


def test_a_rep_sees_the_tree_but_cannot_change_it(client, personas):
    city = region(personas, "城区片")
    client.force_login(personas.rep)
    response = client.get(LIST)
    assert response.status_code == 200 and response.context["form"] is None
    assert client.post(CREATE, {"name": "新片区"}).status_code == 403
    assert client.get(reverse("regions:edit", args=[city.pk])).status_code == 403
    assert client.post(reverse("regions:delete", args=[city.pk])).status_code == 403
    assert SalesRegion.objects.filter(company=personas.company).count() == 1


def test_another_companys_regions_are_invisible(client, personas):
    city = region(personas, "城区片")
    client.force_login(personas.outsider)
    assert "城区片" not in client.get(LIST).content.decode()
    assert client.get(reverse("regions:edit", args=[city.pk])).status_code == 404
    assert client.post(reverse("regions:delete", args=[city.pk])).status_code == 404
    response = client.post(CREATE, {"name": "分部", "parent": city.pk})
    assert set(response.context["form"].errors) == {"parent"}
    assert SalesRegion.objects.filter(pk=city.pk).exists()


# ---------------------------------------------------------------------------- division options

OPTIONS = reverse("regions:division_options")


def option_values(html: str) -> list[str]:
    return [part.split('"')[0] for part in html.split('<option value="')[1:]]


def test_a_province_gives_its_cities_and_refreshes_the_county_select(client, personas):
    client.force_login(personas.rep)
    html = client.get(
        OPTIONS, {"level": "city", "province": "410000", "county_select": "id_county"}
    ).content.decode()
    main, _sep, out_of_band = html.partition('<select id="id_county" hx-swap-oob="innerHTML">')
    assert "411300" in option_values(main) and "110100" not in option_values(main)
    assert option_values(main)[0] == ""  # the empty choice comes first
    # 济源市 is a county-level city directly under 河南省.
    assert "419001" in option_values(out_of_band)


def test_a_municipality_has_no_cities_and_its_districts_as_counties(client, personas):
    client.force_login(personas.rep)
    html = client.get(
        OPTIONS, {"level": "city", "province": "110000", "county_select": "id_county"}
    ).content.decode()
    main, _sep, out_of_band = html.partition("<select")
    assert option_values(main) == [""]
    assert "110105" in option_values(out_of_band)  # 朝阳区


def test_a_city_gives_its_counties_and_an_empty_city_those_of_the_province(client, personas):
    client.force_login(personas.rep)
    under_city = option_values(
        client.get(OPTIONS, {"level": "county", "city": "411300"}).content.decode()
    )
    assert "411329" in under_city and "410105" not in under_city
    under_province = option_values(
        client.get(OPTIONS, {"level": "county", "city": "", "province": "410000"}).content.decode()
    )
    assert "419001" in under_province and "411329" not in under_province


def test_no_parent_gives_only_the_empty_choice(client, personas):
    client.force_login(personas.rep)
    html = client.get(OPTIONS, {"level": "county"}).content.decode()
    assert option_values(html) == [""]


def test_the_out_of_band_target_must_be_an_element_id(client, personas):
    client.force_login(personas.rep)
    html = client.get(
        OPTIONS, {"level": "city", "province": "410000", "county_select": '"><script>'}
    ).content.decode()
    assert "<select" not in html and "<script" not in html
