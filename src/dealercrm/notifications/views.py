"""The user's notifications: the list (unread first), marking read, opening one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from dealercrm.notifications import services
from dealercrm.notifications.models import Notification

PAGE_SIZE = 30


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
