"""The catalogue pages: browsing for everyone in the company, changes for "product.manage"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from dealercrm.products.models import Brand, Manufacturer, Product
from dealercrm.products.testing import make_product
from dealercrm.sales.models import Order, OrderLine

LIST_PAGES = ["/products/", "/products/brands/", "/products/manufacturers/"]
MANAGERS = ["boss", "manager", "clerk"]


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def catalogue(personas):
    maker = Manufacturer.objects.create(company=personas.company, name="山东鲁花集团")
    own = Brand.objects.create(company=personas.company, name="鲁花", manufacturer=maker)
    rival = Brand.objects.create(company=personas.company, name="金龙鱼", is_competitor=True)
    return {
        "own": make_product(personas.company, "P001", name="鲁花花生油", brand=own, price="59"),
        "rival": make_product(personas.company, "P002", name="金龙鱼调和油", brand=rival),
        "secret": make_product(
            personas.outsider_company, "P001", name="贝塔秘密油", brand="贝塔牌"
        ),
    }


@pytest.mark.parametrize("role", [*MANAGERS, "rep"])
@pytest.mark.parametrize("url", LIST_PAGES)
def test_every_role_browses_the_catalogue(personas, catalogue, role, url):
    response = _client(getattr(personas, role)).get(url)

    assert response.status_code == 200
    body = response.content.decode()
    assert "鲁花" in body
    assert 'id="nav-products"' in body
    assert "贝塔" not in body


@pytest.mark.parametrize("role", MANAGERS)
def test_managers_see_edit_import_and_export_links(personas, catalogue, role):
    body = _client(getattr(personas, role)).get("/products/").content.decode()

    assert 'id="new-product"' in body and 'id="import-products"' in body
    assert 'id="export-products"' in body
    assert f'href="/products/{catalogue["own"].pk}/edit/"' in body


def test_a_rep_sees_no_change_links(personas, catalogue):
    body = _client(personas.rep).get("/products/").content.decode()

    assert 'id="new-product"' not in body and 'id="import-products"' not in body
    assert "/edit/" not in body


def test_search_finds_by_code_or_name(personas, catalogue):
    client = _client(personas.rep)

    by_name = client.get("/products/", {"q": "调和"}).content.decode()
    by_code = client.get("/products/", {"q": "p001"}).content.decode()

    assert "金龙鱼调和油" in by_name and "鲁花花生油" not in by_name
    assert "鲁花花生油" in by_code and "金龙鱼调和油" not in by_code


def test_filters_by_brand_and_by_competitor(personas, catalogue):
    client = _client(personas.rep)
    own_brand = catalogue["own"].brand

    by_brand = client.get("/products/", {"brand": own_brand.pk}).content.decode()
    rivals = client.get("/products/", {"ownership": "competitor"}).content.decode()
    own = client.get("/products/", {"ownership": "own"}).content.decode()

    assert "鲁花花生油" in by_brand and "金龙鱼调和油" not in by_brand
    assert "金龙鱼调和油" in rivals and "鲁花花生油" not in rivals
    assert "鲁花花生油" in own and "金龙鱼调和油" not in own


def test_another_companys_brand_id_filters_nothing_of_theirs(personas, catalogue):
    theirs = catalogue["secret"].brand
    body = _client(personas.boss).get("/products/", {"brand": theirs.pk}).content.decode()

    assert "贝塔秘密油" not in body


def test_the_list_is_paged(personas):
    for n in range(55):
        make_product(personas.company, f"X{n:03d}", name=f"产品{n:03d}")
    client = _client(personas.rep)

    first = client.get("/products/").content.decode()
    second = client.get("/products/", {"page": 2}).content.decode()

    assert "55 products" in first
    assert "X000" in first and "X054" not in first
    assert "X054" in second and 'id="page-previous"' in second


def test_clerk_creates_a_product(personas, catalogue):
    brand = catalogue["own"].brand
    response = _client(personas.clerk).post(
        "/products/new/",
        {"code": "P100", "name": "鲁花小榨", "brand": brand.pk, "spec": "5L", "price": "149.5"},
    )

    assert response.status_code == 302
    product = Product.objects.get(company=personas.company, code="P100")
    assert (product.name, product.brand, product.price) == ("鲁花小榨", brand, Decimal("149.50"))


def test_a_taken_code_is_refused_on_the_form(personas, catalogue):
    brand = catalogue["own"].brand
    response = _client(personas.clerk).post(
        "/products/new/", {"code": "P002", "name": "重复", "brand": brand.pk}
    )

    assert response.status_code == 200
    assert "Product code “P002” is taken." in response.content.decode()
    assert Product.objects.filter(company=personas.company).count() == 2


def test_a_code_of_another_company_is_free(personas, catalogue):
    brand = catalogue["own"].brand
    response = _client(personas.clerk).post(
        "/products/new/", {"code": "P001X", "name": "新", "brand": brand.pk}
    )
    assert response.status_code == 302


def test_manager_edits_a_product(personas, catalogue):
    product = catalogue["own"]
    response = _client(personas.manager).post(
        f"/products/{product.pk}/edit/",
        {"code": "P001", "name": "鲁花花生油 新包装", "brand": product.brand_id, "price": "61"},
    )

    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.name, product.price) == ("鲁花花生油 新包装", Decimal("61.00"))


def test_another_companys_brand_cannot_be_chosen(personas, catalogue):
    product = catalogue["own"]
    theirs = catalogue["secret"].brand
    response = _client(personas.boss).post(
        f"/products/{product.pk}/edit/", {"code": "P001", "name": "x", "brand": theirs.pk}
    )

    assert response.status_code == 200
    product.refresh_from_db()
    assert product.brand.company == personas.company


def test_boss_deletes_an_unused_product(personas, catalogue):
    product = catalogue["rival"]
    client = _client(personas.boss)

    assert 'id="confirm-delete"' in client.get(f"/products/{product.pk}/delete/").content.decode()
    response = client.post(f"/products/{product.pk}/delete/")

    assert response.status_code == 302
    assert not Product.objects.filter(pk=product.pk).exists()


def test_a_product_on_order_lines_is_not_deleted(personas, catalogue):
    product = catalogue["own"]
    customer = personas.rep_customer
    order = Order.objects.create(
        company=personas.company, number="SO1", date=dt.date(2026, 1, 5), customer=customer
    )
    OrderLine.objects.create(
        company=personas.company,
        order=order,
        customer=customer,
        date=order.date,
        product=product,
        quantity=Decimal("2"),
        amount=Decimal("118"),
    )
    client = _client(personas.boss)

    page = client.get(f"/products/{product.pk}/delete/").content.decode()
    response = client.post(f"/products/{product.pk}/delete/", follow=True)

    assert 'id="product-in-use"' in page and 'id="confirm-delete"' not in page
    assert "is used by order lines and cannot be deleted" in response.content.decode()
    assert Product.objects.filter(pk=product.pk).exists()


@pytest.mark.parametrize(
    "url",
    [
        "/products/new/",
        "/products/{own}/edit/",
        "/products/{own}/delete/",
        "/products/brands/new/",
        "/products/brands/{brand}/edit/",
        "/products/manufacturers/new/",
        "/products/manufacturers/{maker}/edit/",
    ],
)
def test_a_rep_may_not_change_the_catalogue(personas, catalogue, url):
    product = catalogue["own"]
    url = url.format(own=product.pk, brand=product.brand_id, maker=product.brand.manufacturer_id)
    client = _client(personas.rep)

    assert client.get(url).status_code == 403
    assert (
        client.post(url, {"code": "Z", "name": "改", "brand": product.brand_id}).status_code == 403
    )
    product.refresh_from_db()
    assert (product.code, product.name) == ("P001", "鲁花花生油")
    assert Product.objects.filter(company=personas.company).count() == 2
    assert Brand.objects.filter(company=personas.company).count() == 2


@pytest.mark.parametrize(
    "url",
    [
        "/products/{own}/edit/",
        "/products/{own}/delete/",
        "/products/brands/{brand}/edit/",
        "/products/manufacturers/{maker}/edit/",
    ],
)
def test_another_company_cannot_open_or_change_alphas_rows(personas, catalogue, url):
    product = catalogue["own"]
    url = url.format(own=product.pk, brand=product.brand_id, maker=product.brand.manufacturer_id)
    client = _client(personas.outsider)

    assert client.get(url).status_code == 404
    assert (
        client.post(url, {"code": "Z", "name": "改", "brand": product.brand_id}).status_code == 404
    )
    product.refresh_from_db()
    assert (product.code, product.name, product.brand.name) == ("P001", "鲁花花生油", "鲁花")
    assert product.brand.manufacturer.name == "山东鲁花集团"


def test_brand_create_and_edit(personas, catalogue):
    maker = catalogue["own"].brand.manufacturer
    client = _client(personas.clerk)

    created = client.post(
        "/products/brands/new/", {"name": "胡姬花", "manufacturer": maker.pk, "is_competitor": "on"}
    )
    brand = Brand.objects.get(company=personas.company, name="胡姬花")
    edited = client.post(
        f"/products/brands/{brand.pk}/edit/", {"name": "胡姬花", "manufacturer": ""}
    )

    assert created.status_code == 302 and edited.status_code == 302
    brand.refresh_from_db()
    assert (brand.manufacturer, brand.is_competitor) == (None, False)


def test_a_brand_name_is_unique_in_the_company(personas, catalogue):
    response = _client(personas.clerk).post("/products/brands/new/", {"name": "金龙鱼"})

    assert response.status_code == 200
    assert "There is already a brand “金龙鱼”." in response.content.decode()


def test_manufacturer_create_and_rename(personas, catalogue):
    client = _client(personas.manager)

    client.post("/products/manufacturers/new/", {"name": "中粮"})
    maker = Manufacturer.objects.get(company=personas.company, name="中粮")
    client.post(f"/products/manufacturers/{maker.pk}/edit/", {"name": "中粮集团"})

    maker.refresh_from_db()
    assert maker.name == "中粮集团"
    body = client.get("/products/manufacturers/").content.decode()
    assert "中粮集团" in body and "山东鲁花集团" in body


def test_the_web_export_keeps_the_lists_filter(personas, catalogue):
    response = _client(personas.clerk).get(
        "/data/export/products/", {"ownership": "competitor", "format": "csv"}
    )

    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "金龙鱼调和油" in body and "鲁花花生油" not in body and "贝塔" not in body


@pytest.mark.parametrize("url", ["/data/export/products/", "/data/import/products/"])
def test_a_rep_may_not_import_or_export_products(personas, catalogue, url):
    assert _client(personas.rep).get(url).status_code == 403


def test_the_import_page_lists_the_product_columns(personas):
    body = _client(personas.clerk).get("/data/import/products/").content.decode()

    for header in ("产品编码*", "产品名称*", "品牌*", "厂家", "规格", "单价", "竞品"):
        assert header in body


def test_a_product_file_uploaded_on_the_web_is_previewed_then_committed(personas, catalogue):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dealercrm.imports.models import ImportJob

    client = _client(personas.clerk)
    text = "产品编码,产品名称,品牌,竞品\nP001,鲁花花生油,鲁花,否\nP300,胡姬花古法,胡姬花,是\n"
    upload = SimpleUploadedFile("p.csv", text.encode(), content_type="text/csv")

    response = client.post("/data/import/products/", {"file": upload})
    job = ImportJob.objects.get()
    assert (job.kind, job.status) == ("products", "ready")
    assert (job.summary["new"], job.summary["updated"], job.summary["unchanged"]) == (1, 0, 1)
    assert "胡姬花古法" in client.get(response["Location"]).content.decode()
    assert not Product.objects.filter(code="P300").exists()

    client.post(f"/data/import/jobs/{job.pk}/commit/")

    job.refresh_from_db()
    assert job.status == "done"
    product = Product.objects.get(company=personas.company, code="P300")
    assert product.brand.is_competitor is True
