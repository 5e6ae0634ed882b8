"""The daily job "agenda": each morning the day's agenda goes to every user in the app, by
e-mail, and to the company's group robots, each item once per target.

Who gets what (docs: /work/briefs/out/notify-decisions.md):
- every active user: the items they own (`owner_id`), in one in-app digest a day and, when the
  company has an enabled e-mail channel and the user an address, in one e-mail;
- the e-mail also forwards the user's unread in-app notifications of the last NOTICE_DAYS days
  (complaint escalations, pool returns …), each once;
- the boss and managers also get a summary of the company's day (counts per kind and per rep),
  never the company's items one by one;
- each enabled robot: one digest for the company: counts per kind, then the items by rep, most
  urgent first (URGENCY of the kind, then due day, then class), at most ROBOT_ITEMS_PER_REP per
  rep and "and N more"; split into several messages only when it exceeds the robot's limit.

Every item × target (`email:<user id>`, `channel:<channel id>`) is a notifications.Delivery: an
item already SENT to a target is never sent to it again, so a second run sends nothing and a
retry sends only what failed. Items counted in an "and N more" line were delivered as that count
and are recorded SENT too. A failure leaves its deliveries FAILED (attempts + 1, the error) and,
after every target was tried, the job raises so the jobs app retries the run.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dealercrm.accounts.choices import Role
from dealercrm.accounts.models import User
from dealercrm.care.choices import AgendaKind
from dealercrm.notifications import robots
from dealercrm.notifications.choices import ChannelKind, DeliveryStatus
from dealercrm.notifications.models import Channel, Delivery, Notification
from dealercrm.notifications.services import notify

logger = logging.getLogger(__name__)

ROBOT_ITEMS_PER_REP = 10
APP_ITEMS = 20
CHUNK = 500
KEY_LIMIT = 160
# Unread in-app notifications younger than this are forwarded in the morning e-mail, once.
NOTICE_DAYS = 2
NOTICE_LINES = 5

# The agenda's kinds in the agenda's own order; their labels are the digests' headings.
KINDS: list[str] = list(AgendaKind.values)
# What cannot wait comes first in a digest cut at ROBOT_ITEMS_PER_REP: a complaint's deadline,
# then occasions that pass on their day (birthdays, festivals, anniversaries), follow-ups,
# visits due, and last the warnings (dormant, declining), which keep until tomorrow.
URGENCY = {
    AgendaKind.COMPLAINT: 0,
    AgendaKind.BIRTHDAY: 1,
    AgendaKind.FESTIVAL: 1,
    AgendaKind.ANNIVERSARY: 1,
    AgendaKind.FOLLOW_UP: 2,
    AgendaKind.VISIT: 3,
    AgendaKind.DORMANT: 4,
    AgendaKind.DECLINING: 4,
}
CLASS_ORDER = {"A": 0, "B": 1, "C": 2}


class DeliveryFailed(Exception):
    """Some targets did not take their messages; the deliveries say which and why."""


def load_agenda(company: Any, day: date) -> list:
    """The company's agenda of the day (care.agenda.company_agenda)."""
    from dealercrm.care.agenda import company_agenda

    return company_agenda(company, day)


# ---------------------------------------------------------------------------- the job


def scheduled_send(company: Any, run_date: date) -> str:
    """The daily job: the day's agenda to the app, e-mail and robots; raises when a send failed."""
    with translation.override(settings.LANGUAGE_CODE):
        report = send_agenda(company, run_date)
        summary = report.summary()
        if report.failures:
            raise DeliveryFailed(summary + " " + "; ".join(report.failures))
        return summary


@dataclass
class SendReport:
    """What one run did: digests in the app, items delivered, targets that failed."""

    in_app: int = 0
    messages: int = 0
    items_sent: int = 0
    failures: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = _(
            "%(in_app)s agenda digests in the app, %(messages)s messages sent "
            "(%(items)s items), %(failed)s targets failed."
        ) % {
            "in_app": self.in_app,
            "messages": self.messages,
            "items": self.items_sent,
            "failed": len(self.failures),
        }
        return text


def send_agenda(company: Any, day: date) -> SendReport:
    """Build and send the day's agenda for one company (see the module's docstring)."""
    items = sort_items(item for item in load_agenda(company, day) if not item.done)
    users = list(User.objects.for_company(company).filter(is_active=True).order_by("pk"))
    names = {user.pk: str(user) for user in users}
    owned = by_owner(items)
    summary = company_summary(items, names) if items else []
    report = SendReport()

    for user in users:
        own = owned.get(user.pk, [])
        if not own and not (summary and gets_summary(user)):
            continue
        if notify(
            user,
            kind="agenda",
            key=f"agenda:{day.isoformat()}",
            title=ngettext(
                "Your agenda for %(day)s: %(count)s item",
                "Your agenda for %(day)s: %(count)s items",
                len(own),
            )
            % {"day": day.isoformat(), "count": len(own)},
            body=app_body(own, summary if gets_summary(user) else []),
            link=agenda_path(),
        ):
            report.in_app += 1

    channels = list(Channel.objects.for_company(company).filter(enabled=True))
    if any(channel.kind == ChannelKind.EMAIL for channel in channels):
        _send_emails(company, day, users, owned, summary, report)
    for channel in channels:
        if channel.kind in (ChannelKind.WECOM, ChannelKind.DINGTALK):
            _send_to_robot(company, day, channel, items, names, report)
    return report


def by_owner(items: Iterable[Any]) -> dict[int | None, list]:
    """The items per owner, in their order."""
    owned: dict[int | None, list] = defaultdict(list)
    for item in items:
        owned[item.owner_id].append(item)
    return owned


def gets_summary(user: Any) -> bool:
    return user.role in (Role.BOSS, Role.MANAGER)


def sort_items(items: Iterable[Any]) -> list:
    """Most urgent first: by the kind's urgency (URGENCY), then the earliest due day, then
    class A before B and C."""
    return sorted(
        items,
        key=lambda item: (
            URGENCY.get(item.kind, len(URGENCY)),
            item.due,
            CLASS_ORDER.get(item.abc_class, 3),
            item.key,
        ),
    )


def heading(kind: str) -> str:
    return capfirst(str(AgendaKind(kind).label)) if kind in KINDS else kind


def agenda_path() -> str:
    try:
        return reverse("care:agenda")
    except NoReverseMatch:
        return "/agenda/"


def absolute(link: str) -> str:
    """The link as an address users can open from a message; "" without DEALERCRM_SITE_URL."""
    site = getattr(settings, "SITE_URL", "")
    if not site or not link or not link.startswith("/"):
        return ""
    return site + link


def company_summary(items: Sequence[Any], names: dict[int, str]) -> list[str]:
    """The boss's and managers' lines about the company's day: counts per kind and per rep."""
    lines = [
        ngettext(
            "The company's agenda: %(count)s item.",
            "The company's agenda: %(count)s items.",
            len(items),
        )
        % {"count": len(items)}
    ]
    lines.append(kind_counts(items))
    per_owner = Counter(item.owner_id for item in items)
    for owner_id, count in sorted(
        per_owner.items(), key=lambda pair: (-pair[1], names.get(pair[0] or 0, ""))
    ):
        lines.append(f"{owner_name(owner_id, names)}: {count}")
    return lines


def kind_counts(items: Sequence[Any]) -> str:
    counts = Counter(item.kind for item in items)
    order = KINDS + sorted(set(counts) - set(KINDS))
    return " · ".join(f"{heading(kind)} {counts[kind]}" for kind in order if counts[kind])


def owner_name(owner_id: int | None, names: dict[int, str]) -> str:
    if owner_id is None or owner_id not in names:
        return _("No owner")
    return names[owner_id]


def app_body(own: Sequence[Any], summary: Sequence[str]) -> str:
    lines = [f"· {item.text}" for item in own[:APP_ITEMS]]
    if len(own) > APP_ITEMS:
        lines.append(and_more(len(own) - APP_ITEMS))
    if summary:
        if lines:
            lines.append("")
        lines.extend(summary)
    return "\n".join(lines)


def and_more(count: int) -> str:
    return ngettext("… and %(count)s more", "… and %(count)s more", count) % {"count": count}


# ---------------------------------------------------------------------------- deliveries


def delivery_key(key: str) -> str:
    """The item's key as stored (a key longer than the column keeps its start and a hash)."""
    if len(key) <= KEY_LIMIT:
        return key
    digest = hashlib.sha1(key.encode()).hexdigest()
    return f"{key[: KEY_LIMIT - 41]}#{digest}"


@dataclass
class Line:
    """One line of a message and the items it delivers (none for headings)."""

    text: str
    keys: tuple[str, ...] = ()


@dataclass
class Part:
    """One message to send: its title, its text, the items it delivers."""

    title: str
    text: str
    keys: list[str]


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def sent_keys(company: Any, target: str, keys: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(list(keys)):
        found.update(
            Delivery.objects.for_company(company)
            .filter(target=target, key__in=chunk, status=DeliveryStatus.SENT)
            .values_list("key", flat=True)
        )
    return found


def _record(company: Any, target: str, keys: Sequence[str], *, error: str | None) -> None:
    """Mark the items' deliveries to the target SENT (error None) or FAILED, one attempt more."""
    keys = list(dict.fromkeys(keys))
    Delivery.objects.bulk_create(
        [Delivery(company=company, target=target, key=key) for key in keys],
        ignore_conflicts=True,
        batch_size=CHUNK,
    )
    now = timezone.now()
    fields: dict[str, Any] = {"attempts": F("attempts") + 1}
    if error is None:
        fields |= {"status": DeliveryStatus.SENT, "sent_at": now, "last_error": ""}
    else:
        fields |= {"status": DeliveryStatus.FAILED, "last_error": error[:500]}
    for chunk in _chunks(keys):
        Delivery.objects.for_company(company).filter(target=target, key__in=chunk).exclude(
            status=DeliveryStatus.SENT
        ).update(**fields)


def deliver(
    company: Any,
    target: str,
    keys: Sequence[str],
    compose: Callable[[set[str]], list[Part]],
    transmit: Callable[[Part], None],
    report: SendReport,
    label: str,
) -> None:
    """Send to one target what it has not had yet: compose(the pending keys) gives the
    messages; transmit sends one and raises on failure (the rest then fail with it)."""
    done = sent_keys(company, target, keys)
    pending = {key for key in keys if key not in done}
    if not pending:
        return
    parts = [part for part in compose(pending) if part.keys]
    for index, part in enumerate(parts):
        try:
            transmit(part)
        except Exception as error:
            message = str(error) or type(error).__name__
            logger.warning("Sending the agenda to %s failed: %s", target, message)
            failed = [key for later in parts[index:] for key in later.keys]
            _record(company, target, failed, error=message)
            report.failures.append(f"{label}: {message}")
            return
        _record(company, target, part.keys, error=None)
        report.messages += 1
        report.items_sent += len(part.keys)


# ---------------------------------------------------------------------------- e-mail


def _send_emails(
    company: Any,
    day: date,
    users: Sequence[Any],
    owned: dict[int | None, list],
    company_lines: list[str],
    report: SendReport,
) -> None:
    connection = get_connection(fail_silently=False)
    summary_key = f"summary:{day.isoformat()}"
    notices = unread_notices(company, [user for user in users if user.email])
    for user in users:
        if not user.email:
            continue
        own = owned.get(user.pk, [])
        summary = company_lines if gets_summary(user) else []
        by_key = {delivery_key(item.key): item for item in own}
        user_notices = {f"notification:{notice.pk}": notice for notice in notices[user.pk]}
        keys = list(by_key) + ([summary_key] if summary else []) + list(user_notices)
        if not keys:
            continue

        def compose(
            pending: set[str], user=user, by_key=by_key, summary=summary, user_notices=user_notices
        ) -> list[Part]:
            todo = [item for key, item in by_key.items() if key in pending]
            with_summary = summary if summary_key in pending else []
            forward = [notice for key, notice in user_notices.items() if key in pending]
            return [email_part(company, day, user, todo, with_summary, summary_key, forward)]

        def transmit(part: Part, user=user) -> None:
            EmailMessage(
                subject=part.title,
                body=part.text,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[user.email],
                connection=connection,
            ).send()

        deliver(
            company,
            f"email:{user.pk}",
            keys,
            compose,
            transmit,
            report,
            _("e-mail to %(user)s") % {"user": user},
        )


def unread_notices(company: Any, users: Sequence[Any]) -> dict[int, list[Notification]]:
    """Each user's unread in-app notifications of the last NOTICE_DAYS days (complaint
    escalations, pool returns, handovers …; not the agenda digests), to forward by e-mail."""
    since = timezone.now() - timedelta(days=NOTICE_DAYS)
    found: dict[int, list[Notification]] = defaultdict(list)
    queryset = (
        Notification.objects.for_company(company)
        .unread()
        .filter(recipient__in=[user.pk for user in users], created_at__gte=since)
        .exclude(kind="agenda")
        .order_by("created_at", "id")
    )
    for notice in queryset:
        found[notice.recipient_id].append(notice)
    return found


def email_part(
    company: Any,
    day: date,
    user: Any,
    items: Sequence[Any],
    summary: Sequence[str],
    summary_key: str,
    notices: Sequence[Notification] = (),
) -> Part:
    title = ngettext(
        "%(company)s: your agenda for %(day)s (%(count)s item)",
        "%(company)s: your agenda for %(day)s (%(count)s items)",
        len(items),
    ) % {"company": company.name, "day": day.isoformat(), "count": len(items)}
    lines = [_("%(user)s, your agenda for %(day)s:") % {"user": user, "day": day.isoformat()}]
    for kind, group in grouped(items):
        lines += ["", f"{heading(kind)} ({len(group)})"]
        for item in group:
            link = absolute(item.link)
            lines.append(f"- {item.text}" + (f"  {link}" if link else ""))
    if not items:
        lines += ["", _("Nothing of yours today.")]
    if summary:
        lines += ["", *summary]
    if notices:
        lines += ["", _("Unread in the app (%(count)s)") % {"count": len(notices)}]
        for notice in notices:
            link = absolute(reverse("notifications:open", args=[notice.pk]))
            lines.append(f"- {notice.title}" + (f"  {link}" if link else ""))
            lines += [f"  {line}" for line in notice.body.splitlines()[:NOTICE_LINES]]
    page = absolute(agenda_path())
    if page:
        lines += ["", _("The agenda: %(link)s") % {"link": page}]
    keys = [delivery_key(item.key) for item in items] + ([summary_key] if summary else [])
    keys += [f"notification:{notice.pk}" for notice in notices]
    return Part(title=title, text="\n".join(lines) + "\n", keys=keys)


def grouped(items: Sequence[Any]) -> list[tuple[str, list]]:
    groups: dict[str, list] = defaultdict(list)
    for item in items:
        groups[item.kind].append(item)
    order = KINDS + sorted(set(groups) - set(KINDS))
    return [(kind, groups[kind]) for kind in order if groups.get(kind)]


# ---------------------------------------------------------------------------- robots


def _send_to_robot(
    company: Any,
    day: date,
    channel: Channel,
    items: Sequence[Any],
    names: dict[int, str],
    report: SendReport,
) -> None:
    by_key = {delivery_key(item.key): item for item in items}

    def compose(pending: set[str]) -> list[Part]:
        todo = [item for key, item in by_key.items() if key in pending]
        return robot_parts(channel.kind, company, day, todo, names)

    def transmit(part: Part) -> None:
        robots.post(channel.kind, channel.webhook_url, channel.secret, part.title, part.text)

    deliver(
        company,
        f"channel:{channel.pk}",
        list(by_key),
        compose,
        transmit,
        report,
        str(channel),
    )


def robot_lines(company: Any, day: date, items: Sequence[Any], names: dict) -> list[Line]:
    """The company's digest for a group: counts per kind, then each rep's items."""
    lines = [
        Line(
            "### "
            + _("%(company)s: the agenda for %(day)s")
            % {"company": company.name, "day": day.isoformat()}
        ),
        Line(
            ngettext("%(count)s item: ", "%(count)s items: ", len(items)) % {"count": len(items)}
            + kind_counts(items)
        ),
    ]
    per_owner: dict[int | None, list] = defaultdict(list)
    for item in items:
        per_owner[item.owner_id if item.owner_id in names else None].append(item)
    owners = sorted(
        per_owner, key=lambda owner: (owner is None, owner_name(owner, names), owner or 0)
    )
    for owner in owners:
        group = per_owner[owner]
        lines.append(Line(f"#### {owner_name(owner, names)} ({len(group)})"))
        for item in group[:ROBOT_ITEMS_PER_REP]:
            link = absolute(item.link)
            text = f"[{item.text}]({link})" if link else item.text
            lines.append(Line(f"- {text}", (delivery_key(item.key),)))
        rest = group[ROBOT_ITEMS_PER_REP:]
        if rest:
            lines.append(Line(and_more(len(rest)), tuple(delivery_key(i.key) for i in rest)))
    return lines


def robot_parts(
    kind: str, company: Any, day: date, items: Sequence[Any], names: dict
) -> list[Part]:
    """The digest as messages that each fit the robot's limit (one message unless too long)."""
    title = _("%(company)s: the agenda for %(day)s") % {
        "company": company.name,
        "day": day.isoformat(),
    }
    parts: list[Part] = []
    texts: list[str] = []
    keys: list[str] = []
    for line in robot_lines(company, day, items, names):
        text = robots.clip(kind, line.text)
        if texts and not robots.fits(kind, "\n".join([*texts, text])):
            parts.append(Part(title, "\n".join(texts), keys))
            texts, keys = [], []
        texts.append(text)
        keys.extend(line.keys)
    if texts:
        parts.append(Part(title, "\n".join(texts), keys))
    if len(parts) > 1:
        for number, part in enumerate(parts, start=1):
            part.title = f"{title} ({number}/{len(parts)})"
    return parts
