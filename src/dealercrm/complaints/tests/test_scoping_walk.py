"""Every complaints and satisfaction page that takes an id, tried as another rep and as another
company's boss: 404 (or 403/405), nothing shown, nothing changed."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from dealercrm.complaints import services as complaints
from dealercrm.complaints.models import Complaint, ComplaintEvent
from dealercrm.satisfaction import services as satisfaction
from dealercrm.satisfaction.models import Survey, SurveyLink
from dealercrm.testing import make_customer

pytestmark = pytest.mark.django_db
SECRET = "秘密投诉内容"
NAMESPACES = ("complaints", "satisfaction")


def _routes(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry, route, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and namespace in NAMESPACES:
            yield route, list(entry.pattern.converters)


def _state(company):
    return (
        list(Complaint.objects.filter(company=company).values_list("status", "owner_id")),
        ComplaintEvent.objects.filter(company=company).count(),
        Survey.objects.filter(company=company).count(),
        SurveyLink.objects.filter(company=company).count(),
    )


@pytest.mark.parametrize("intruder", ["outsider", "other_rep"])
def test_no_page_serves_or_changes_alices_rows(personas, intruder):
    customer = make_customer(personas.company, rep=personas.rep, code="S001", name="秘密客户甲")
    complaint = complaints.open_complaint(
        customer, category="quality", severity="high", description=SECRET, actor=personas.rep
    )
    satisfaction.record_survey(
        customer, score=3, comment=SECRET, source="visit", actor=personas.rep
    )
    ids = {"customer_pk": customer.pk, "pk": complaint.pk}
    client = Client()
    client.force_login(getattr(personas, intruder))
    before = _state(personas.company)

    urls = []
    for route, names in _routes(get_resolver()):
        if not names:
            continue
        for name in names:
            route = route.replace(f"<int:{name}>", str(ids[name]))
        urls.append("/" + route)
    assert len(urls) >= 8
    leaks = []
    for url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url, {"score": "9", "source": "visit"})
            body = response.content.decode()
            if response.status_code not in {403, 404, 405} or SECRET in body:
                leaks.append((method, url, response.status_code))
    assert leaks == []
    assert _state(personas.company) == before
