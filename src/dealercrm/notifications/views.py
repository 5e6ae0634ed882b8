"""The user's notifications (the list, unread first, marking read, opening one); the boss's
notification channels and the record of what was sent."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, F, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from dealercrm.accounts.models import User
from dealercrm.customers.forms import add_service_errors
from dealercrm.notifications import services
from dealercrm.notifications.choices import DeliveryStatus
from dealercrm.notifications.forms import ChannelForm, DeliveryFilterForm
from dealercrm.notifications.models import Channel, Delivery, Notification

PAGE_SIZE = 30
DELIVERY_PAGE_SIZE = 50


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = Notification.objects.visible_to(request.user).order_by(
        F("read_at").asc(nulls_first=True), "-created_at", "-id"
    )
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "unread": services.unread_count(request.user)}
    return render(request, "notifications/notification_list.html", context)


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark it read and go where it points (only a path on this site; else the list)."""
    notification = get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
    services.mark_read(request.user, notification.pk)
    link = services.safe_link(notification.link)
    return redirect(link or "notifications:list")


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if pk is not None:
        get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
    count = services.mark_read(request.user, pk)
    if pk is None:
        messages.success(
            request,
            ngettext(
                "Marked %(count)s notification read.", "Marked %(count)s notifications read.", count
            )
            % {"count": count},
        )
    return redirect("notifications:list")


# ---------------------------------------------------------------------------- channels


def _require_channels(request: HttpRequest) -> None:
    if not request.user.can("notifications.channels"):
        raise PermissionDenied


def _channel_rows(request: HttpRequest) -> list[dict]:
    return [
        {
            "channel": channel,
            "url": services.mask_url(channel.webhook_url),
            "secret": services.mask_secret(channel.secret),
        }
        for channel in Channel.objects.visible_to(request.user)
    ]


@login_required
def channels(request: HttpRequest) -> HttpResponse:
    """The company's channels, and a form to add one (the boss)."""
    _require_channels(request)
    form = ChannelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            channel = services.save_channel(
                request.user.company,
                kind=form.cleaned_data["kind"],
                name=form.cleaned_data["name"],
                webhook_url=form.cleaned_data["webhook_url"],
                secret=form.cleaned_data["secret"],
                enabled=form.cleaned_data["enabled"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Added the channel %(name)s.") % {"name": channel.name})
            return redirect("notifications:channels")
    context = {"rows": _channel_rows(request), "form": form}
    return render(request, "notifications/channels.html", context)


@login_required
def channel_edit(request: HttpRequest, channel_pk: int) -> HttpResponse:
    _require_channels(request)
    channel = get_object_or_404(Channel.objects.visible_to(request.user), pk=channel_pk)
    form = ChannelForm(request.POST if request.method == "POST" else None, channel=channel)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_channel(
                request.user.company,
                channel=channel,
                kind=channel.kind,
                name=form.cleaned_data["name"],
                webhook_url=form.cleaned_data["webhook_url"],
                secret=form.cleaned_data["secret"],
                clear_secret=form.cleaned_data.get("clear_secret", False),
                enabled=form.cleaned_data["enabled"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved the channel %(name)s.") % {"name": channel.name})
            return redirect("notifications:channels")
    context = {
        "channel": channel,
        "form": form,
        "url": services.mask_url(channel.webhook_url),
        "secret": services.mask_secret(channel.secret),
    }
    return render(request, "notifications/channel_edit.html", context)


@login_required
@require_POST
def channel_delete(request: HttpRequest, channel_pk: int) -> HttpResponse:
    _require_channels(request)
    channel = get_object_or_404(Channel.objects.visible_to(request.user), pk=channel_pk)
    name = channel.name
    services.delete_channel(request.user.company, channel)
    messages.success(request, _("Deleted the channel %(name)s.") % {"name": name})
    return redirect("notifications:channels")


@login_required
@require_POST
def channel_test(request: HttpRequest, channel_pk: int) -> HttpResponse:
    """Send a test message now and say what the robot answered."""
    _require_channels(request)
    channel = get_object_or_404(
        Channel.objects.visible_to(request.user).select_related("company"), pk=channel_pk
    )
    try:
        answer = services.test_channel(channel, request.user)
    except ValidationError as error:
        messages.error(
            request,
            _("%(name)s: the test message was not taken. %(reason)s")
            % {"name": channel.name, "reason": " ".join(error.messages)},
        )
    else:
        messages.success(request, f"{channel.name}: {answer}")
    return redirect("notifications:channels")


# ---------------------------------------------------------------------------- deliveries


def _target_labels(request: HttpRequest, deliveries: list[Delivery]) -> dict[str, str]:
    """ "channel:3" → the channel's name, "email:5" → the user's name and address."""
    ids: dict[str, set[int]] = {"channel": set(), "email": set()}
    for delivery in deliveries:
        prefix, _sep, number = delivery.target.partition(":")
        if prefix in ids and number.isdigit():
            ids[prefix].add(int(number))
    labels: dict[str, str] = {}
    for channel in Channel.objects.visible_to(request.user).filter(pk__in=ids["channel"]):
        labels[f"channel:{channel.pk}"] = str(channel)
    for user in User.objects.visible_to(request.user).filter(pk__in=ids["email"]):
        labels[f"email:{user.pk}"] = _("e-mail to %(user)s") % {"user": user}
    return labels


@login_required
def deliveries(request: HttpRequest) -> HttpResponse:
    """Recent deliveries, failed ones first, so a broken robot or mail server is seen."""
    _require_channels(request)
    form = DeliveryFilterForm(request.GET or None)
    status = form.values().get("status")
    queryset = Delivery.objects.visible_to(request.user)
    if status:
        queryset = queryset.filter(status=status)
    queryset = queryset.order_by(
        Case(When(status=DeliveryStatus.FAILED, then=0), default=1), "-created_at", "-id"
    )
    page = Paginator(queryset, DELIVERY_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    labels = _target_labels(request, rows)
    context = {
        "form": form,
        "page": page,
        "rows": [(delivery, labels.get(delivery.target, delivery.target)) for delivery in rows],
        "failed": Delivery.objects.visible_to(request.user)
        .filter(status=DeliveryStatus.FAILED)
        .count(),
    }
    return render(request, "notifications/deliveries.html", context)
