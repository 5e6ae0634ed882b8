"""Every API operation, tried with company ALPHA's ids as an outsider and as another rep.

The operations are read from the API itself (its OpenAPI document, checked against its URL
patterns), so an endpoint added later is walked without editing this file; a new kind of path
id fails the walk until it gets an ALPHA row below.
"""

import functools
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import URLPattern

from dealercrm.api import api
from dealercrm.core.models import AuditEntry
from dealercrm.core.tests.apiclient import ApiClient
from dealercrm.customers import services
from dealercrm.customers.models import CarriedProduct, Contact, Customer
from dealercrm.testing import Personas
from dealercrm.visits import services as visits

PREFIX = "/api/v1"
# Text that appears only in the file of alice's customer (company ALPHA).
ALICE_MARKERS = ["13812345678", "汉城路", "王秘密", "13700009999", "阿尔法秘牌"]
# ...and in the rest of ALPHA.
ALPHA_MARKERS = [*ALICE_MARKERS, "红星便利店"]


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@functools.cache
def openapi_document() -> dict[str, Any]:
    return api.get_openapi_schema(path_prefix=PREFIX + "/")


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path template, OpenAPI operation) for every operation of the API."""
    document = openapi_document()
    return [
        (method.upper(), path, operation)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    ]


def url_paths() -> set[str]:
    """The API's URL patterns as OpenAPI path templates (customers/<int:id> → /customers/{id})."""
    patterns, _app, _namespace = api.urls
    found = set()
    for pattern in patterns:
        assert isinstance(pattern, URLPattern)
        if pattern.name in {"openapi-json", "openapi-view", "api-root"}:
            continue
        route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern))
        found.add(f"{PREFIX}/{route}".rstrip("/"))
    return found


def sample(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """A value that passes the schema: required fields only, the first of any choice."""
    if "$ref" in schema:
        return sample(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    if "anyOf" in schema:
        options = [option for option in schema["anyOf"] if option.get("type") != "null"]
        return sample(options[0], components)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        return {
            name: sample(schema["properties"][name], components)
            for name in schema.get("required", [])
        }
    return {"string": "probe-1", "integer": 1, "number": 1, "boolean": False}.get(kind)


def request_body(operation: dict[str, Any]) -> Any:
    if "requestBody" not in operation:
        return None
    components = openapi_document()["components"]["schemas"]
    content = operation["requestBody"]["content"]
    if "application/json" not in content:
        return None  # a file upload: sent empty, the scoping answers before the body matters
    return sample(content["application/json"]["schema"], components)


def alpha_file(personas: Personas) -> dict[str, int]:
    """Alice's customer with a contact and a carried product: the ids each path takes."""
    customer = personas.rep_customer
    contact = services.save_contact(
        customer,
        actor=personas.rep,
        source="web",
        fields={"role": "owner", "name": "王秘密", "mobile": "+8613700009999"},
    )
    item = services.save_carried_product(
        customer,
        actor=personas.rep,
        source="web",
        fields={"brand": "阿尔法秘牌", "price": Decimal("9.90")},
    )
    visit = visits.record_visit(
        customer, personas.rep, observations=visits.Observations(notes="王秘密到访")
    )
    return {"id": customer.pk, "contact_id": contact.pk, "item_id": item.pk, "visit_id": visit.pk}


def snapshot_of_alpha(customer_ids: list[int] | None = None) -> list[Any]:
    """ALPHA's customer files (only these customers when given), to compare before and after."""
    customers = Customer.objects.filter(company__code="ALPHA")
    if customer_ids is not None:
        customers = customers.filter(pk__in=customer_ids)
    return [
        list(customers.order_by("pk").values()),
        list(Contact.objects.filter(customer__in=customers).order_by("pk").values()),
        list(CarriedProduct.objects.filter(customer__in=customers).order_by("pk").values()),
    ]


def walk(caller: ApiClient, ids: dict[str, int], markers: list[str]) -> list[str]:
    """Call every operation; return what went wrong."""
    problems = []
    for method, path, operation in operations():
        names = re.findall(r"{(\w+)}", path)
        unknown = [name for name in names if name not in ids]
        assert not unknown, f"{path}: give the walk an ALPHA row for {unknown}"
        url = path.format(**{name: ids[name] for name in names})
        response = caller.request(method, url, request_body(operation))
        text = response.content.decode()
        label = f"{method} {path} → {response.status_code}"
        if names and response.status_code != 404:
            problems.append(f"{label}, expected 404: {text[:200]}")
        if response.status_code >= 500:
            problems.append(label)
        problems += [f"{label} shows {marker}" for marker in markers if marker in text]
    return problems


def test_the_walk_covers_every_url_of_the_api():
    assert {path for _method, path, _op in operations()} == url_paths()
    assert len(operations()) >= 16


def test_outsider_cannot_reach_any_of_alphas_rows(personas):
    ids = alpha_file(personas)
    before = snapshot_of_alpha()
    assert walk(ApiClient(personas.outsider), ids, ALPHA_MARKERS) == []
    assert snapshot_of_alpha() == before
    assert not AuditEntry.objects.filter(company=personas.company, actor=personas.outsider)


def test_another_rep_cannot_reach_alices_rows(personas):
    ids = alpha_file(personas)
    # Bob may create customers of his own: compare alice's file only.
    before = snapshot_of_alpha([ids["id"]])
    assert walk(ApiClient(personas.other_rep), ids, ALICE_MARKERS) == []
    assert snapshot_of_alpha([ids["id"]]) == before
    assert not AuditEntry.objects.filter(file_id=ids["id"], actor=personas.other_rep)


def test_alice_herself_reaches_her_rows(personas):
    # The walk's 404s must come from scoping, not from wrong ids: the owner gets through.
    ids = alpha_file(personas)
    alice = ApiClient(personas.rep)
    for method, path, _op in operations():
        if method == "GET" and "{" in path:
            url = path.format(**ids)
            assert alice.get(url).status_code == 200, url


def test_every_operation_but_login_needs_a_token(personas):
    ids = alpha_file(personas)
    anonymous = ApiClient()
    for method, path, operation in operations():
        response = anonymous.request(method, path.format(**ids), request_body(operation))
        expected = 401 if operation.get("security") else response.status_code
        assert response.status_code == expected, f"{method} {path}"
        assert not any(marker in response.content.decode() for marker in ALPHA_MARKERS)
    public = [path for _m, path, op in operations() if not op.get("security")]
    assert public == [f"{PREFIX}/auth/token"]


def test_openapi_document_loads_and_lists_the_customer_paths(db):
    response = ApiClient().get(f"{PREFIX}/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert {
        f"{PREFIX}/customers",
        f"{PREFIX}/customers/{{id}}",
        f"{PREFIX}/customers/{{id}}/contacts",
        f"{PREFIX}/customers/{{id}}/contacts/{{contact_id}}",
        f"{PREFIX}/customers/{{id}}/products",
        f"{PREFIX}/customers/{{id}}/products/{{item_id}}",
        f"{PREFIX}/auth/token",
    } <= set(document["paths"])
    assert document["components"]["securitySchemes"] == {
        "BearerToken": {"type": "http", "scheme": "bearer"}
    }
    operation_ids = [op["operationId"] for _m, _p, op in operations()]
    assert len(operation_ids) == len(set(operation_ids))
    assert document["paths"][f"{PREFIX}/customers"]["get"]["operationId"] == "customers_list"
    assert all(op.get("summary") for _m, _p, op in operations())


def test_swagger_page_is_served_without_a_cdn(db):
    response = ApiClient().get(f"{PREFIX}/docs")
    assert response.status_code == 200
    assert "cdn" not in response.content.decode().lower()
