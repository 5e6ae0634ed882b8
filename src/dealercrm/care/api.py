"""The agenda API under /api/v1/agenda: the caller's agenda for a day.

Thin handler: care.agenda.agenda_for decides what the caller may see (a rep only own customers'
items, own follow-ups and own complaints; boss, manager and clerk the whole company's).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from dealercrm.care.agenda import agenda_for
from dealercrm.care.services import parse_day
from dealercrm.companies.services import local_today
from dealercrm.core.api_auth import api_user
from dealercrm.core.api_errors import ErrorOut, FieldValidationError, ValidationErrorOut

router = Router(tags=["agenda"])


class AgendaCustomer(Schema):
    id: int
    name: str
    code: str


class AgendaItemOut(Schema):
    kind: str = Field(
        description=(
            "birthday, festival, anniversary, follow_up, visit, dormant, declining or complaint"
        )
    )
    key: str = Field(
        description=(
            "Unique per item and occurrence and stable from day to day, e.g. "
            "birthday:contact:12:2026-11-30, festival:3:customer:45:2026-02-17, follow_up:7, "
            "visit:customer:45:2026-11-27, complaint:9:deadline"
        )
    )
    due: dt.date = Field(
        description="The day it is about (the birthday itself, the visit's due day…)"
    )
    customer: AgendaCustomer | None
    abc_class: str = Field(description="The customer's class (A, B, C or empty)")
    text: str = Field(description="One line, in the request's language")
    link: str = Field(description="The page on this site (the customer, the complaint…)")
    done: bool = Field(
        description="A care record exists for this birthday, festival or anniversary"
    )


class AgendaOut(Schema):
    date: dt.date
    count: int
    items: list[AgendaItemOut]


@router.get(
    "",
    response={200: AgendaOut, 401: ErrorOut, 422: ValidationErrorOut},
    operation_id="agenda",
    summary="The caller's agenda for a day",
    description=(
        "What the caller has to do on `date` (YYYY-MM-DD; default today in the company's time "
        "zone), sorted by kind (birthday, festival, anniversary, follow_up, visit, dormant, "
        "declining, complaint), then due day, then class (A first). Birthdays (solar and lunar "
        "农历) and cooperation anniversaries show from the class's care lead days before "
        "(A 3, B 1, C 0 by default) through the day; festivals from the festival's lead days "
        "before, for the customers whose class policy has a festival visit or greeting; "
        "follow-ups due by the day; visits due or overdue; dormant and declining warnings; "
        "open complaints whose deadline is within 24 hours of the day's end or past. A rep sees "
        "the items of own customers, own follow-ups and own complaints; boss, manager and "
        "clerk the whole company's. A bad date answers 422 with field `date`."
    ),
)
def agenda(
    request: HttpRequest,
    date: str | None = Query(
        None,
        description="The day, YYYY-MM-DD; default today in the company's time zone.",
        examples=["2026-11-27"],
    ),
) -> dict[str, Any]:
    user = api_user(request)
    if date:
        try:
            day = parse_day(date)
        except ValueError as exc:
            raise FieldValidationError(
                [
                    {
                        "field": "date",
                        "message": _("“%(value)s” is not a date; write it as YYYY-MM-DD.")
                        % {"value": date},
                    }
                ]
            ) from exc
    else:
        day = local_today(user.company)
    items = [
        {
            "kind": item.kind,
            "key": item.key,
            "due": item.due,
            "customer": (
                {"id": item.customer_id, "name": item.customer_name, "code": item.customer_code}
                if item.customer_id
                else None
            ),
            "abc_class": item.abc_class,
            "text": item.text,
            "link": item.link,
            "done": item.done,
        }
        for item in agenda_for(user, day)
    ]
    return {"date": day, "count": len(items), "items": items}
