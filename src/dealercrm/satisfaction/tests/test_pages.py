"""The satisfaction pages open in Chinese by default."""

import pytest
from django.test import Client

from dealercrm.satisfaction import services

pytestmark = pytest.mark.django_db


def test_the_report_and_the_customer_section_open_in_chinese(personas):
    services.record_survey(
        personas.rep_customer, score=2, comment="太贵", source="phone", actor=personas.boss
    )
    client = Client()
    client.force_login(personas.boss)
    assert "太贵" in client.get("/satisfaction/").content.decode()
    assert "太贵" in client.get(f"/customers/{personas.rep_customer.pk}/").content.decode()
    _link, raw = services.create_link(personas.rep_customer, personas.boss)
    assert Client().get(f"/s/{raw}/").status_code == 200
