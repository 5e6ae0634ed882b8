"""The jobs page: recent runs of each daily job for the user's company, and "run now".

Runs are read through `JobRun.objects.visible_to(user)`; the page is for `jobs.view` (boss and
manager) and the button for `jobs.run` (boss).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dealercrm.jobs import services
from dealercrm.jobs.models import JobRun
from dealercrm.jobs.registry import get_job


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    if not request.user.can("jobs.view"):
        raise PermissionDenied
    company = request.user.company
    today = services.local_today(company)
    histories = services.recent_runs(JobRun.objects.visible_to(request.user), today=today)
    return render(
        request,
        "jobs/job_list.html",
        {
            "histories": histories,
            "zone": services.company_zone(company),
            "today": today,
            "days": services.RECENT_DAYS,
            "max_attempts": services.MAX_ATTEMPTS,
            "can_run": request.user.can("jobs.run"),
        },
    )


@login_required
@require_POST
def run_job(request: HttpRequest) -> HttpResponse:
    if not request.user.can("jobs.run"):
        raise PermissionDenied
    name = request.POST.get("job", "")
    try:
        run = services.request_run(request.user.company, name, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(job)s is queued for %(date)s.")
            % {"job": get_job(name).label, "date": run.run_date.isoformat()},
        )
    return redirect("jobs:list")
