"""Tries every page that takes an id as an outsider company's boss and as another rep.

The URL patterns are read from the project's resolver, so a new page is covered as soon as it
exists; an id parameter this test does not know makes it fail until it is added to OBJECTS.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from dealercrm.complaints.services import open_complaint
from dealercrm.core.models import AuditSource
from dealercrm.customers import services
from dealercrm.customers.choices import ContactRole
from dealercrm.customers.models import CarriedProduct, Contact, Customer
from dealercrm.imports.models import ExportJob, ImportJob
from dealercrm.notifications.models import Channel
from dealercrm.notifications.services import notify
from dealercrm.ownership.models import Handover
from dealercrm.products.models import Manufacturer
from dealercrm.products.testing import make_product
from dealercrm.regions.models import SalesRegion
from dealercrm.reminders.services import add_follow_up
from dealercrm.satisfaction.services import record_survey
from dealercrm.staff.models import Skill, SkillAssessment, Training
from dealercrm.staff.services import profile_for
from dealercrm.testing import make_customer
from dealercrm.visits import services as visits
from dealercrm.visits.tests.helpers import picture, upload

SECRET_NAME = "秘密客户甲"
SECRET_CONTACT = "秘密联系人乙"
SECRET_REGION = "阿尔法秘密片区"
# s/: the survey link a customer opens without a login (public on purpose; its own tests).
SKIPPED_PREFIXES = ("api/", "i18n/", "static/", "media/", "s/")


def _patterns(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from _patterns(entry, route, ns)
        elif isinstance(entry, URLPattern):
            yield namespace, route, entry


def _object_urls():
    for namespace, route, pattern in _patterns(get_resolver()):
        if route.startswith(SKIPPED_PREFIXES):
            continue
        converters = pattern.pattern.converters
        if converters:
            yield namespace, route, pattern, list(converters)


@pytest.fixture
def alpha_objects(personas):
    """Rows of company ALPHA belonging to rep alice, each with a text no outsider may read."""
    region = SalesRegion.objects.create(company=personas.company, name=SECRET_REGION)
    customer = make_customer(
        personas.company, rep=personas.rep, code="S001", name=SECRET_NAME, sales_region=region
    )
    contact = services.save_contact(
        customer,
        actor=None,
        source=AuditSource.SYSTEM,
        fields={"role": ContactRole.OWNER, "name": SECRET_CONTACT},
    )
    item = services.save_carried_product(
        customer, actor=None, source=AuditSource.SYSTEM, fields={"brand": "秘密品牌"}
    )
    import_job = ImportJob.objects.create(
        company=personas.company,
        user=personas.rep,
        kind="customers",
        file_name="a.csv",
        file_path="/nonexistent/a.csv",
    )
    export_job = ExportJob.objects.create(
        company=personas.company,
        user=personas.rep,
        kind="customers",
    )
    product = make_product(personas.company, "S1", name=SECRET_NAME, brand="秘密品牌")
    visit = visits.record_visit(
        customer, personas.rep, observations=visits.Observations(notes=SECRET_NAME)
    )
    photo = visits.add_photo(visit, upload(picture()), personas.rep)
    employee = profile_for(personas.rep)
    skill = Skill.objects.create(company=personas.company, name="秘密技能")
    assessment = SkillAssessment.objects.create(
        company=personas.company,
        employee=employee,
        skill=skill,
        level=3,
        assessed_on=date(2026, 1, 5),
        note=SECRET_NAME,
    )
    training = Training.objects.create(
        company=personas.company,
        employee=employee,
        date=date(2026, 1, 5),
        topic=SECRET_NAME,
        kind="course",
    )
    handover = Handover.objects.create(
        company=personas.company, employee=employee, from_user=personas.rep, mode="even"
    )
    notify(personas.rep, kind="test", key="secret", title=SECRET_NAME)
    reminder = add_follow_up(
        customer,
        assignee=personas.rep,
        due_on=date(2026, 12, 1),
        text=SECRET_NAME,
        actor=personas.rep,
    )
    record_survey(customer, score=3, comment=SECRET_NAME, source="visit", actor=personas.rep)
    complaint = open_complaint(
        customer,
        category="quality",
        severity="high",
        description=SECRET_NAME,
        actor=personas.rep,
    )
    channel = Channel.objects.create(
        company=personas.company,
        kind="wecom",
        name=SECRET_NAME,
        webhook_url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET",
    )
    return {
        ("customers", "pk"): customer.pk,
        ("customers", "contact_pk"): contact.pk,
        ("customers", "item_pk"): item.pk,
        ("regions", "pk"): region.pk,
        ("imports", "pk"): None,  # chosen per route below
        "import_job": import_job.pk,
        "export_job": export_job.pk,
        # Several kinds of row under one name: the longest matching route prefix chooses.
        ("products", "pk"): {
            "products/": product.pk,
            "products/brands/": product.brand_id,
            "products/manufacturers/": Manufacturer.objects.create(
                company=personas.company, name=SECRET_NAME
            ).pk,
        },
        ("visits", "customer_pk"): customer.pk,
        ("visits", "pk"): visit.pk,
        ("visits", "photo_pk"): photo.pk,
        # Alice's own customer, not one in the pool: every role of the company sees the pool.
        ("ownership", "pk"): {
            "ownership/pool/": customer.pk,
            "ownership/release/": customer.pk,
            "ownership/handovers/": handover.pk,
        },
        ("ownership", "employee_pk"): employee.pk,
        ("notifications", "pk"): personas.rep.notifications.get().pk,
        ("reminders", "customer_pk"): customer.pk,
        ("satisfaction", "customer_pk"): customer.pk,
        ("complaints", "customer_pk"): customer.pk,
        ("complaints", "pk"): complaint.pk,
        ("notifications", "channel_pk"): channel.pk,
        ("reminders", "pk"): reminder.pk,
        ("staff", "pk"): {
            "staff/": employee.pk,
            "staff/trainings/": training.pk,
            "staff/assessments/": assessment.pk,
            "staff/skills/": skill.pk,
        },
    }


def _fill(route: str, namespace: str, names: list[str], objects: dict) -> str:
    path = route
    for name in names:
        key = (namespace, name)
        assert key in objects, f"add the id parameter {key} of {route} to this test"
        value = objects[key]
        if namespace == "imports":
            value = objects["export_job" if route.startswith("data/export") else "import_job"]
        elif isinstance(value, dict):
            prefix = max((p for p in value if route.startswith(p)), key=len)
            value = value[prefix]
        path = path.replace(f"<int:{name}>", str(value))
    return "/" + path


def _state(company) -> tuple:
    return (
        Customer.objects.filter(company=company).count(),
        Contact.objects.filter(company=company).count(),
        CarriedProduct.objects.filter(company=company).count(),
        list(SalesRegion.objects.filter(company=company).values_list("name", flat=True)),
        list(Customer.objects.filter(company=company).values_list("name", "rep_id")),
    )


@pytest.mark.parametrize("intruder", ["outsider", "other_rep"])
def test_no_page_serves_or_changes_another_companys_or_another_reps_rows(
    personas, alpha_objects, intruder
):
    client = Client()
    client.force_login(getattr(personas, intruder))
    before = _state(personas.company)
    urls = [
        _fill(route, namespace, names, alpha_objects)
        for namespace, route, _pattern, names in _object_urls()
    ]
    assert len(urls) >= 12
    leaks = []
    for url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            body = response.content.decode(errors="replace")
            if (
                response.status_code not in {403, 404, 405}
                or SECRET_NAME in body
                or SECRET_CONTACT in body
            ):
                leaks.append((method.upper(), url, response.status_code))
    assert leaks == []
    assert _state(personas.company) == before


@pytest.mark.parametrize("page", ["/customers/", "/customers/?q=mimi", "/regions/"])
def test_lists_never_show_another_companys_rows(personas, alpha_objects, page):
    client = Client()
    client.force_login(personas.outsider)
    body = client.get(page).content.decode()
    assert SECRET_NAME not in body and SECRET_REGION not in body


def test_another_rep_does_not_find_alices_customer_in_the_list(personas, alpha_objects):
    client = Client()
    client.force_login(personas.other_rep)
    body = client.get("/customers/", {"q": "mmkh"}).content.decode()
    assert SECRET_NAME not in body
