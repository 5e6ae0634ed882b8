"""Import and export jobs: a file checked or written off the request path, with its progress."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dealercrm.core.models import CompanyOwned
from dealercrm.imports.choices import ExportStatus, FileFormat, ImportStatus

RUNNING_IMPORT = (ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.COMMITTING)


class ImportJob(CompanyOwned):
    """An uploaded file: checked (pass 1 and a dry run), previewed, then committed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    kind = models.CharField(_("kind"), max_length=20)
    file_name = models.CharField(_("file"), max_length=200)
    # Where the upload is kept (under settings.IMPORT_UPLOAD_DIR) until it is committed.
    file_path = models.CharField(max_length=500)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    # "check", "compare" or "write": the pass the task is in, for the progress line.
    stage = models.CharField(max_length=10, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    # [{"row", "column", "value", "message"}], the first ERROR_LIMIT; error_count counts all.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["company", "-created_at"], name="importjob_company_created")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name} ({self.status})"

    @property
    def running(self) -> bool:
        return self.status in RUNNING_IMPORT

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.rows_done / self.rows_total)) if self.rows_total else 0


class ExportJob(CompanyOwned):
    """A large export written by a task; its file is downloaded by the user who asked for it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("requested by"),
    )
    kind = models.CharField(_("kind"), max_length=20)
    file_format = models.CharField(
        _("format"), max_length=4, choices=FileFormat.choices, default=FileFormat.XLSX
    )
    # The list's filter parameters, as the query string they came in.
    query = models.CharField(max_length=1000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    file_path = models.CharField(max_length=500, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["company", "-created_at"], name="exportjob_company_created")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M} ({self.status})"

    @property
    def running(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.rows_done / self.rows_total)) if self.rows_total else 0

    @property
    def download_name(self) -> str:
        return f"{self.kind}-{self.created_at:%Y%m%d-%H%M}.{self.file_format}"


class ExportRecord(CompanyOwned):
    """One export of company data (web, API or command line): who, when, what, how many rows."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    # Kept as text too: the command line has no login, and a user may be deleted.
    actor_name = models.CharField(_("who"), max_length=150)
    source = models.CharField(_("through"), max_length=10)
    kind = models.CharField(_("kind"), max_length=20)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    # The filters that chose the rows, as a query string.
    query = models.CharField(_("filter"), max_length=1000, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("export record")
        verbose_name_plural = _("export log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["company", "-at"], name="exportrecord_company_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.kind} {self.rows}"
