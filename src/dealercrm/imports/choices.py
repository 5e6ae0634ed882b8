from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("waiting to be checked")
    CHECKING = "checking", _("checking")
    INVALID = "invalid", _("has errors")
    READY = "ready", _("ready to import")
    COMMITTING = "committing", _("importing")
    DONE = "done", _("imported")
    FAILED = "failed", _("failed")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("waiting")
    RUNNING = "running", _("writing")
    DONE = "done", _("ready to download")
    FAILED = "failed", _("failed")


class FileFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel (.xlsx)")
    CSV = "csv", _("CSV (.csv)")


class ExportSource(models.TextChoices):
    """Through what an export left the system (ExportRecord.source)."""

    WEB = "web", _("web page")
    COMMAND = "command", _("command line")
    API = "api", _("API")
