"""Satisfaction (满意度): scores recorded by staff, one-time links customers answer, and the
report.

The rule (NPS, net promoter score): over the answers of a period, promoters score 9–10,
detractors 0–6 (7–8 are passives);
    NPS = 100 × (promoters − detractors) / answers,
rounded half up to one decimal (a number from −100.0 to 100.0). The average score is the sum of
the scores over the answers, rounded half up to one decimal. No answers → no figure (None).

Each answer keeps the customer's rep, class and sales region at the time it was given, so the
report by rep, class and region stays true after customers move.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from dealercrm.accounts.models import User
from dealercrm.companies.services import company_zone, local_today
from dealercrm.customers.models import Customer
from dealercrm.regions.models import SalesRegion
from dealercrm.satisfaction.choices import SurveySource
from dealercrm.satisfaction.models import Survey, SurveyLink

PROMOTER_MIN = 9
DETRACTOR_MAX = 6
MAX_COMMENT = 2000
LINK_DAYS_MAX = 90
TENTH = Decimal("0.1")


# ---------------------------------------------------------------------------- recording


def clean_score(value: Any) -> int:
    """A whole number 0–10 (an int, or text of digits); anything else is a ValidationError."""
    message = _("The score must be a whole number from 0 to 10.")
    if isinstance(value, bool):
        raise ValidationError({"score": message})
    if isinstance(value, str):
        text = value.strip()
        if not text.isdigit() or not text.isascii():
            raise ValidationError({"score": message})
        value = int(text)
    if not isinstance(value, int) or not 0 <= value <= 10:
        raise ValidationError({"score": message})
    return value


def clean_comment(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError({"comment": _("The comment must be text.")})
    text = value.strip()
    if len(text) > MAX_COMMENT:
        raise ValidationError(
            {"comment": _("Keep the comment under %(max)s characters.") % {"max": MAX_COMMENT}}
        )
    return text


def _write(
    customer: Customer,
    *,
    score: int,
    comment: str,
    source: str,
    recorded_by: Any,
    visit: Any = None,
) -> Survey:
    """Store an answer with the customer's rep, class and region as they are now."""
    return Survey.objects.create(
        company_id=customer.company_id,
        customer=customer,
        score=score,
        comment=comment,
        source=source,
        visit=visit,
        answered_at=timezone.now(),
        recorded_by=recorded_by,
        rep_id=customer.rep_id,
        abc_class=customer.abc_class or "",
        sales_region_id=customer.sales_region_id,
    )


def may_record(user: Any, customer: Customer) -> bool:
    """Boss, manager, or the rep of the customer (whoever sees it and may ask)."""
    return bool(user.can("survey.record")) and (
        Customer.objects.visible_to(user).filter(pk=customer.pk).exists()
    )


@transaction.atomic
def record_survey(
    customer: Customer,
    *,
    score: Any,
    comment: str = "",
    source: str,
    actor: Any,
    visit: Any = None,
) -> Survey:
    """Record a score the customer gave a member of staff on a visit or by phone."""
    if not may_record(actor, customer):
        raise PermissionDenied(_("You may not record satisfaction scores for this customer."))
    errors: dict[str, Any] = {}
    for check, value in ((clean_score, score), (clean_comment, comment)):
        try:
            check(value)
        except ValidationError as error:
            errors.update(error.message_dict)
    if source not in (SurveySource.VISIT, SurveySource.PHONE):
        errors["source"] = [_("Choose whether it was asked on a visit or by phone.")]
    if visit is not None and (
        visit.customer_id != customer.pk or visit.company_id != customer.company_id
    ):
        errors["visit"] = [_("The visit is not one of this customer's.")]
    if errors:
        raise ValidationError(errors)
    return _write(
        customer,
        score=clean_score(score),
        comment=clean_comment(comment),
        source=source,
        recorded_by=actor,
        visit=visit,
    )


def record_on_visit(visit: Any, *, score: Any, comment: str = "", actor: Any) -> Survey:
    """For the visits app: the score asked during that visit (source "visit")."""
    return record_survey(
        visit.customer,
        score=score,
        comment=comment,
        source=SurveySource.VISIT,
        actor=actor,
        visit=visit,
    )


# ---------------------------------------------------------------------------- one-time links


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def create_link(customer: Customer, actor: Any, days: int = 14) -> tuple[SurveyLink, str]:
    """A link the customer answers once within `days`; returns it and the raw token, which is
    shown once and never stored (only its SHA-256)."""
    if not actor.can("survey.link") or not (
        Customer.objects.visible_to(actor).filter(pk=customer.pk).exists()
    ):
        raise PermissionDenied(_("You may not send a survey to this customer."))
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= LINK_DAYS_MAX:
        raise ValidationError(
            {"days": _("A link stays open from 1 to %(max)s days.") % {"max": LINK_DAYS_MAX}}
        )
    raw = secrets.token_urlsafe(24)
    link = SurveyLink.objects.create(
        company_id=customer.company_id,
        customer=customer,
        token_hash=hash_token(raw),
        created_by=actor,
        expires_at=timezone.now() + timedelta(days=days),
    )
    return link, raw


class LinkUnavailable(Exception):
    """The link was answered already ("used") or has expired ("expired")."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def find_link(raw: str) -> SurveyLink | None:
    """The link of that token (with its customer and company), or None."""
    if not raw or len(raw) > 100:
        return None
    return (
        SurveyLink.objects.select_related("customer", "company")
        .filter(token_hash=hash_token(raw))
        .first()
    )


def link_state(link: SurveyLink, now: datetime | None = None) -> str:
    """ "open", "used" or "expired"."""
    if link.used_at is not None:
        return "used"
    if link.expires_at <= (now or timezone.now()):
        return "expired"
    return "open"


def answer_link(raw: str, *, score: Any, comment: str = "") -> Survey:
    """Record the customer's answer through the link, once: the link row is locked, the answer
    written and the link marked used in one transaction. The token alone decides the customer.

    Raises SurveyLink.DoesNotExist (unknown token), LinkUnavailable (used or expired) or
    ValidationError (bad score or comment; nothing stored).
    """
    score = clean_score(score)
    text = clean_comment(comment)
    with transaction.atomic():
        link = SurveyLink.objects.select_for_update().filter(token_hash=hash_token(raw or "")).get()
        state = link_state(link)
        if state != "open":
            raise LinkUnavailable(state)
        customer = Customer.objects.get(pk=link.customer_id, company_id=link.company_id)
        survey = _write(
            customer, score=score, comment=text, source=SurveySource.LINK, recorded_by=None
        )
        marked = SurveyLink.objects.filter(pk=link.pk, used_at__isnull=True).update(
            used_at=survey.answered_at, survey=survey
        )
        if marked != 1:  # a concurrent answer won (databases without row locks)
            raise LinkUnavailable("used")
    return survey


# ---------------------------------------------------------------------------- report


def _tenth(value: Decimal) -> Decimal:
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


@dataclass
class Figures:
    """NPS, average and count of one group of answers."""

    label: str
    count: int = 0
    promoters: int = 0
    detractors: int = 0
    total: int = 0

    @property
    def passives(self) -> int:
        return self.count - self.promoters - self.detractors

    @property
    def nps(self) -> Decimal | None:
        if not self.count:
            return None
        return _tenth(Decimal(100 * (self.promoters - self.detractors)) / self.count)

    @property
    def average(self) -> Decimal | None:
        if not self.count:
            return None
        return _tenth(Decimal(self.total) / self.count)


@dataclass
class Report:
    date_from: date
    date_to: date
    overall: Figures
    by_class: list[Figures] = field(default_factory=list)
    by_region: list[Figures] = field(default_factory=list)
    by_rep: list[Figures] = field(default_factory=list)
    by_month: list[Figures] = field(default_factory=list)
    comments: list[Survey] = field(default_factory=list)


_SUMS = {
    "count": Count("id"),
    "promoters": Count("id", filter=Q(score__gte=PROMOTER_MIN)),
    "detractors": Count("id", filter=Q(score__lte=DETRACTOR_MAX)),
    "total": Sum("score"),
}


def _aggregate(queryset: QuerySet[Survey], *group: str) -> list[dict[str, Any]]:
    return list(queryset.values(*group).annotate(**_SUMS).order_by(*group))


def _figures(label: str, row: dict[str, Any] | None) -> Figures:
    if row is None:
        return Figures(label)
    return Figures(
        label,
        count=row["count"],
        promoters=row["promoters"],
        detractors=row["detractors"],
        total=row["total"] or 0,
    )


def default_period(company: Any) -> tuple[date, date]:
    """The last 12 months: from the first day of the month 11 months back through today."""
    today = local_today(company)
    month = today.month - 11
    year = today.year
    if month < 1:
        month += 12
        year -= 1
    return date(year, month, 1), today


def _months(date_from: date, date_to: date) -> list[date]:
    months = []
    current = date(date_from.year, date_from.month, 1)
    while current <= date_to:
        months.append(current)
        current = date(current.year + (current.month == 12), current.month % 12 + 1, 1)
    return months


def answers_in(company: Any, date_from: date, date_to: date) -> QuerySet[Survey]:
    """The company's answers given on the company's local days date_from … date_to."""
    zone = company_zone(company)
    start = datetime.combine(date_from, datetime.min.time(), tzinfo=zone)
    end = datetime.combine(date_to + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    return Survey.objects.for_company(company).filter(answered_at__gte=start, answered_at__lt=end)


def figures_of(answers: QuerySet[Survey], date_from: date, date_to: date, company: Any) -> Figures:
    """NPS, average and count of these answers (already scoped) over the period."""
    zone = company_zone(company)
    start = datetime.combine(date_from, datetime.min.time(), tzinfo=zone)
    end = datetime.combine(date_to + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    return _figures(
        _("All answers"),
        answers.filter(answered_at__gte=start, answered_at__lt=end).aggregate(**_SUMS),
    )


def satisfaction_report(
    company: Any, date_from: date, date_to: date, *, comments_shown: int = 20
) -> Report:
    """NPS, average and count over the period: overall, by class, region, rep and month."""
    answers = answers_in(company, date_from, date_to)
    overall = _figures(_("All answers"), answers.aggregate(**_SUMS))

    by_class = [
        _figures(row["abc_class"] or _("no class"), row) for row in _aggregate(answers, "abc_class")
    ]
    # A, B, C first; answers of customers without a class last.
    by_class.sort(key=lambda f: (len(f.label) != 1, f.label))

    region_rows = _aggregate(answers, "sales_region_id")
    regions = dict(
        SalesRegion.objects.for_company(company)
        .filter(pk__in=[r["sales_region_id"] for r in region_rows if r["sales_region_id"]])
        .values_list("pk", "name")
    )
    by_region = [
        _figures(regions.get(row["sales_region_id"], _("no region")), row) for row in region_rows
    ]
    by_region.sort(key=lambda f: (-f.count, f.label))

    rep_rows = _aggregate(answers, "rep_id")
    reps = {
        user.pk: str(user)
        for user in User.objects.for_company(company).filter(
            pk__in=[r["rep_id"] for r in rep_rows if r["rep_id"]]
        )
    }
    by_rep = [_figures(reps.get(row["rep_id"], _("no sales rep")), row) for row in rep_rows]
    by_rep.sort(key=lambda f: (-f.count, f.label))

    zone = company_zone(company)
    month_rows = {
        timezone.localtime(row["month"], zone).date().replace(day=1)
        if isinstance(row["month"], datetime)
        else row["month"]: row
        for row in _aggregate(
            answers.annotate(month=TruncMonth("answered_at", tzinfo=zone)), "month"
        )
    }
    by_month = [
        _figures(f"{month:%Y-%m}", month_rows.get(month)) for month in _months(date_from, date_to)
    ]

    comments = list(
        answers.exclude(comment="")
        .select_related("customer", "rep")
        .order_by("score", "-answered_at", "-id")[:comments_shown]
    )
    return Report(
        date_from=date_from,
        date_to=date_to,
        overall=overall,
        by_class=by_class,
        by_region=by_region,
        by_rep=by_rep,
        by_month=by_month,
        comments=comments,
    )
