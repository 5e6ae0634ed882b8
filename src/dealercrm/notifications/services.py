"""Sending and reading in-app notifications.

`notify()` is the one way a notification is written: its key names the event, so the same event
is never sent twice to the same person, whichever database and however many workers run it.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from dealercrm.notifications import robots
from dealercrm.notifications.choices import ChannelKind
from dealercrm.notifications.models import Channel, Delivery, Notification


def safe_link(link: str) -> str:
    """The link if it is a path on this site ("/customers/1/"), else "" (never another host)."""
    link = (link or "").strip()
    if not link.startswith("/") or link.startswith("//") or "\\" in link:
        return ""
    if not url_has_allowed_host_and_scheme(link, allowed_hosts=None):
        return ""
    return link


def notify(
    recipient: Any,
    *,
    kind: str,
    key: str,
    title: str,
    body: str = "",
    link: str = "",
    customer: Any = None,
) -> bool:
    """Send one notification; False (and nothing written) when that key was already sent to
    that recipient. A link that is not a path on this site is dropped."""
    if recipient is None or recipient.company_id is None:
        return False
    company_id = recipient.company_id
    existing = Notification.objects.filter(company_id=company_id, recipient=recipient, key=key)
    if existing.exists():
        return False
    try:
        # A savepoint: a concurrent sender of the same key loses on the unique constraint
        # without breaking the caller's transaction (PostgreSQL aborts it otherwise).
        with transaction.atomic():
            Notification.objects.create(
                company_id=company_id,
                recipient=recipient,
                kind=kind[:30],
                key=key[:120],
                title=title[:200],
                body=body,
                link=safe_link(link)[:300],
                customer=customer,
            )
    except IntegrityError:
        return False
    return True


def unread_count(user: Any) -> int:
    return Notification.objects.visible_to(user).unread().count()


def mark_read(user: Any, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications read (or all of them with None); how many changed."""
    queryset = Notification.objects.visible_to(user).unread()
    if notification_id is not None:
        queryset = queryset.filter(pk=notification_id)
    return queryset.update(read_at=timezone.now())


# ---------------------------------------------------------------------------- channels


def mask_url(url: str) -> str:
    """A webhook address as the pages show it: host and path, the token reduced to its end."""
    if not url:
        return ""
    parts = urllib.parse.urlsplit(url)
    shown = f"{parts.scheme}://{parts.hostname or ''}{parts.path}"
    return shown + (f"?…{url[-4:]}" if parts.query else "")


def mask_secret(secret: str) -> str:
    return f"…{secret[-4:]}" if len(secret) > 8 else ("…" if secret else "")


@transaction.atomic
def save_channel(
    company: Any,
    *,
    channel: Channel | None = None,
    kind: str,
    name: str,
    webhook_url: str = "",
    secret: str = "",
    clear_secret: bool = False,
    enabled: bool = True,
) -> Channel:
    """Add a channel (channel None) or change one; an empty webhook_url or secret on a change
    keeps the stored one (the pages never show them). Raises ValidationError by field."""
    name = (name or "").strip()
    webhook_url = (webhook_url or "").strip()
    secret = (secret or "").strip()
    if channel is not None:
        kind = channel.kind
        webhook_url = webhook_url or channel.webhook_url
        secret = "" if clear_secret else (secret or channel.secret)
    errors: dict[str, list[str]] = {}
    others = Channel.objects.for_company(company)
    if channel is not None:
        others = others.exclude(pk=channel.pk)
    if kind not in ChannelKind.values:
        errors["kind"] = [_("Choose the kind of channel.")]
    if not name:
        errors["name"] = [_("Give the channel a name.")]
    elif others.filter(name=name).exists():
        errors["name"] = [_("Another channel is already called “%(name)s”.") % {"name": name}]
    if kind == ChannelKind.EMAIL:
        webhook_url, secret = "", ""
        if others.filter(kind=ChannelKind.EMAIL).exists():
            errors["kind"] = [_("The company already has an e-mail channel.")]
    elif kind in ChannelKind.values:
        if not webhook_url:
            errors["webhook_url"] = [_("Paste the robot's webhook address.")]
        elif not robots.host_allowed(webhook_url):
            errors["webhook_url"] = [
                _(
                    "A webhook address must be an https:// address on one of these hosts: "
                    "%(hosts)s (DEALERCRM_WEBHOOK_HOSTS)."
                )
                % {"hosts": ", ".join(robots.allowed_hosts()) or "-"}
            ]
        elif len(webhook_url) > 500:
            errors["webhook_url"] = [_("The webhook address is too long.")]
        if kind == ChannelKind.WECOM and secret:
            errors["secret"] = [_("WeCom group robots have no signing secret; leave it empty.")]
        elif len(secret) > 200:
            errors["secret"] = [_("The signing secret is too long.")]
    if errors:
        raise ValidationError(errors)
    if channel is None:
        channel = Channel(company=company, kind=kind)
    channel.name = name
    channel.webhook_url = webhook_url
    channel.secret = secret
    channel.enabled = enabled
    channel.save()
    return channel


def delete_channel(company: Any, channel: Channel) -> None:
    """Remove a channel and the record of what was sent to it."""
    with transaction.atomic():
        Delivery.objects.for_company(company).filter(target=f"channel:{channel.pk}").delete()
        channel.delete()


def test_channel(channel: Channel, user: Any) -> str:
    """Send a test message through the channel; what the robot (or mail server) answered.

    Raises ValidationError with the reason when it did not take the message.
    """
    title = _("Dealer CRM: test message")
    text = _("A test message from Dealer CRM for %(company)s, sent by %(user)s.") % {
        "company": channel.company.name,
        "user": user,
    }
    if channel.kind == ChannelKind.EMAIL:
        if not user.email:
            raise ValidationError(_("Your login has no e-mail address to send the test to."))
        try:
            EmailMessage(
                subject=title, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email]
            ).send()
        except Exception as error:
            raise ValidationError(
                _("The mail server refused the message: %(error)s") % {"error": str(error)[:200]}
            ) from None
        return _("The test e-mail went to %(address)s.") % {"address": user.email}
    try:
        answer = robots.post(channel.kind, channel.webhook_url, channel.secret, title, text)
    except robots.RobotError as error:
        raise ValidationError(str(error)) from None
    return _("The robot took the message (errcode %(code)s, %(message)s).") % {
        "code": answer.errcode,
        "message": answer.errmsg or "ok",
    }
