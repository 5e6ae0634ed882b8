"""One run of a daily job for one company and one (company-local) date."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dealercrm.core.models import CompanyOwned
from dealercrm.jobs.choices import RunStatus


class JobRun(CompanyOwned):
    """A day's run of a job for a company: at most one per (company, job, run_date).

    The unique key is what makes the scheduler idempotent: two workers that find the same job
    due both try to insert the row, and only one succeeds and enqueues the task. A failed
    attempt goes back to "queued" with `next_attempt_at` until MAX_ATTEMPTS, then stays
    "failed".
    """

    job = models.CharField(_("job"), max_length=40)
    run_date = models.DateField(_("date"))
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # When the next attempt after a failure is due; null when no retry is waiting.
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # True when that next attempt is already enqueued (deferred with run_after); else the
    # scheduler enqueues it once next_attempt_at has come.
    retry_enqueued = models.BooleanField(default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    # The last line of the traceback of the latest failed attempt.
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        ordering = ["-run_date", "job", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "job", "run_date"], name="jobrun_once_per_company_day"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="jobrun_status_next"),
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.run_date} ({self.status})"

    @property
    def retry_waiting(self) -> bool:
        return self.status == RunStatus.QUEUED and self.next_attempt_at is not None
