"""Running imports and exports: from the command line directly, from the web as jobs.

`import_file` is the one way data comes in from a file: pass 1 validates every row, and only when
no row has an error does pass 2 compare (dry run) or write everything in one transaction.
"""

from __future__ import annotations

import json
import logging
import os
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from dealercrm.core.models import AuditSource
from dealercrm.imports.choices import ExportSource, ExportStatus, FileFormat, ImportStatus
from dealercrm.imports.engine import (
    ErrorList,
    ParsedRow,
    Progress,
    RowError,
    Summary,
)
from dealercrm.imports.exporting import Exporter
from dealercrm.imports.models import ExportJob, ExportRecord, ImportJob
from dealercrm.imports.registry import Kind, get_kind
from dealercrm.imports.tables import Sheet, file_format, write_table

logger = logging.getLogger(__name__)

# Up to this many rows an export from the web is sent at once; above, a task writes the file.
DIRECT_EXPORT_LIMIT = 5000
# Progress is saved at most this often (seconds).
PROGRESS_INTERVAL = 0.5
# ExportRecord.actor_name of an export run on the server's command line without --user.
COMMAND_LINE_ACTOR = "command line"


@dataclass
class ImportOutcome:
    """The errors (the first ERROR_LIMIT, sorted by row) or what the import does or did."""

    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    summary: Summary | None = None
    written: bool = False

    @property
    def ok(self) -> bool:
        return self.error_count == 0


class _Rollback(Exception):
    """Raised inside the import transaction to undo it when pass 2 meets an error."""


def kind_or_error(name: str) -> Kind:
    kind = get_kind(name)
    if kind is None:
        raise ValidationError(
            _("Nothing called “%(kind)s” can be imported."), params={"kind": name}
        )
    return kind


def import_file(
    kind: str,
    path: str | Path,
    *,
    company: Any,
    actor: Any = None,
    source: str = AuditSource.IMPORT,
    write: bool = False,
    progress: Progress | None = None,
) -> ImportOutcome:
    """Validate the whole file; without errors, compare (write=False) or write it all at once."""
    importer = kind_or_error(kind).importer_class()(company=company, actor=actor, source=source)
    report = progress or (lambda stage, done, total: None)
    errors = ErrorList()
    try:
        sheet = Sheet(path)
        total = max(sheet.total - 1, 0)

        def counted(stage: str, done: int, _total: int) -> None:
            report(stage, done, max(total, done))

        importer.check(importer.rows(sheet, errors), errors, counted)
        if errors:
            return _failed(errors)

        def read() -> Iterator[ParsedRow]:
            return importer.rows(Sheet(path), errors)

        if not write:
            summary = importer.apply(read, write=False, progress=counted)
            return _failed(errors) if errors else ImportOutcome(summary=summary)
        with transaction.atomic():
            summary = importer.apply(read, write=True, progress=counted)
            if errors:
                raise _Rollback
    except ValidationError as error:
        errors.add_validation(0, "", "", error)
        return _failed(errors)
    except IntegrityError:
        # Someone changed the same customers while the file was being written.
        message = _(
            "The data changed while the file was imported; nothing was imported. Try again."
        )
        errors.add(0, "", "", message)
        return _failed(errors)
    except _Rollback:
        return _failed(errors)
    return ImportOutcome(summary=summary, written=True)


def _failed(errors: ErrorList) -> ImportOutcome:
    return ImportOutcome(errors=errors.sorted(), error_count=errors.count)


def export_file(
    kind: str,
    path: str | Path,
    *,
    company: Any,
    user: Any = None,
    filters: Any = None,
    progress: Progress | None = None,
    source: str = ExportSource.COMMAND,
) -> int:
    """Write the kind's rows (the company's, or those user may see) to an .xlsx or .csv file.

    The finished file is logged (ExportRecord); a file that could not be written is not.
    """
    file_format(path)
    exporter = kind_or_error(kind).exporter_class()(company=company, user=user, filters=filters)
    rows: Iterator[list[Any]] = exporter.rows()
    if progress is not None:
        rows = _reporting(rows, progress, exporter.count())
    count = write_table(path, exporter.headers(), rows)
    record_export(
        company=company,
        user=user,
        source=source,
        kind=kind,
        rows=count,
        file_name=Path(path).name,
    )
    return count


def record_export(
    *,
    company: Any,
    user: Any,
    source: str,
    kind: str,
    rows: int,
    file_name: str = "",
    query: str = "",
) -> ExportRecord:
    """Log one complete export: who (a login, or the command line), what, how many rows."""
    if user is not None:
        actor_name = user.username
    elif source == ExportSource.COMMAND:
        actor_name = COMMAND_LINE_ACTOR
    else:
        actor_name = ""
    return ExportRecord.objects.create(
        company_id=getattr(company, "pk", company),
        user=user,
        actor_name=actor_name[:150],
        source=source,
        kind=kind,
        rows=rows,
        file_name=file_name[:200],
        query=query[:1000],
    )


def _reporting(rows: Iterator[list[Any]], progress: Progress, total: int) -> Iterator[list[Any]]:
    done = 0
    for done, row in enumerate(rows, start=1):
        yield row
        if done % 1000 == 0:
            progress("export", done, total)
    progress("export", done, total)


def logged_rows(
    rows: Iterable[list[Any]], *, user: Any, kind: str, file_name: str, query: str
) -> Iterator[list[Any]]:
    """The rows of a web export sent at once, logged (ExportRecord) once the last one is out.

    A download the client abandons half-way is not logged: the file never left complete.
    """
    count = 0
    for row in rows:
        count += 1
        yield row
    record_export(
        company=user.company_id,
        user=user,
        source=ExportSource.WEB,
        kind=kind,
        rows=count,
        file_name=file_name,
        query=query,
    )


def export_log(
    viewer: Any, *, user: Any = None, kind: str = "", month: date | None = None
) -> QuerySet[ExportRecord]:
    """The company's export records, newest first, narrowed by who, kind and month (local)."""
    if not viewer.can("export.log"):
        raise PermissionDenied
    records = ExportRecord.objects.visible_to(viewer).select_related("user")
    if user is not None:
        records = records.filter(user=user)
    if kind:
        records = records.filter(kind=kind)
    if month is not None:
        start = timezone.make_aware(datetime(month.year, month.month, 1))
        following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        end = timezone.make_aware(datetime(following.year, following.month, 1))
        records = records.filter(at__gte=start, at__lt=end)
    return records.order_by("-at", "-id")


# ---------------------------------------------------------------------------- import jobs


def _upload_dir(*parts: str) -> Path:
    directory = Path(settings.IMPORT_UPLOAD_DIR).joinpath(*parts)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def start_import(*, user: Any, kind: str, upload: UploadedFile) -> ImportJob:
    """Keep the uploaded file and queue its check (pass 1 and a dry run)."""
    definition = kind_or_error(kind)
    if not user.can(definition.import_permission):
        raise PermissionDenied
    extension = file_format(upload.name or "")
    path = _upload_dir(str(user.company_id)) / f"{uuid.uuid4().hex}.{extension}"
    with open(path, "wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    job = ImportJob.objects.create(
        company_id=user.company_id,
        user=user,
        kind=kind,
        file_name=Path(upload.name or "").name[:200],
        file_path=str(path),
    )
    from dealercrm.imports.tasks import check_import

    check_import.enqueue(job.pk)
    return job


def commit_import(job: ImportJob, *, user: Any) -> None:
    """Queue the writing of a checked file; refused unless the check found no error."""
    if not user.can(kind_or_error(job.kind).import_permission):
        raise PermissionDenied
    # The status moves once, so a double click cannot import twice.
    moved = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.READY).update(
        status=ImportStatus.COMMITTING, stage="", rows_done=0
    )
    if not moved:
        raise ValidationError(_("This file is not ready to import."))
    from dealercrm.imports.tasks import commit_import as commit_task

    commit_task.enqueue(job.pk)


class JobProgress:
    """Saves a job's progress at most every PROGRESS_INTERVAL seconds.

    While the import transaction is open, its own rows are invisible to the page that polls
    (and on SQLite another connection could not write): progress goes to a small file next to
    the upload, which `live_progress` reads.
    """

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < PROGRESS_INTERVAL and done < total:
            return
        self.last = now
        state = {"stage": stage, "done": done, "total": total}
        sidecar = Path(self.job.file_path + ".progress")
        scratch = sidecar.with_suffix(".tmp")
        scratch.write_text(json.dumps(state))
        os.replace(scratch, sidecar)


def live_progress(job: ImportJob) -> ImportJob:
    """The job with its latest progress while a task works on it."""
    if job.running:
        try:
            state = json.loads(Path(job.file_path + ".progress").read_text())
        except (OSError, ValueError):
            return job
        job.stage, job.rows_done, job.rows_total = state["stage"], state["done"], state["total"]
    return job


def run_import_job(job_id: int, *, write: bool) -> None:
    """The task body: check (write=False) or commit (write=True) an uploaded file."""
    job = ImportJob.objects.select_related("company", "user").get(pk=job_id)
    job.status = ImportStatus.COMMITTING if write else ImportStatus.CHECKING
    job.started_at = timezone.now()
    job.save(update_fields=["status", "started_at"])
    try:
        outcome = import_file(
            job.kind,
            job.file_path,
            company=job.company,
            actor=job.user,
            source=AuditSource.IMPORT,
            write=write,
            progress=JobProgress(job),
        )
    except Exception:
        logger.exception("import job %s failed", job.pk)
        _finish(job, ImportStatus.FAILED, errors=[_unexpected()], error_count=1)
        return
    if not outcome.ok:
        errors = [error.as_dict() for error in outcome.errors]
        _finish(job, ImportStatus.INVALID, errors=errors, error_count=outcome.error_count)
        return
    assert outcome.summary is not None
    done = ImportStatus.DONE if write else ImportStatus.READY
    _finish(job, done, summary=outcome.summary.as_dict(), rows=outcome.summary.rows)


def _unexpected() -> dict[str, Any]:
    message = _("The import stopped on an unexpected error; nothing was changed. Try again.")
    return {"row": 0, "column": "", "value": "", "message": message}


def _finish(job: ImportJob, status: str, *, rows: int | None = None, **values: Any) -> None:
    job.status = status
    job.finished_at = timezone.now()
    if rows is not None:
        job.rows_total = job.rows_done = rows
    for name, value in values.items():
        setattr(job, name, value)
    job.stage = ""
    job.save()
    Path(job.file_path + ".progress").unlink(missing_ok=True)
    if status != ImportStatus.READY:
        # Kept only while it may still be committed.
        Path(job.file_path).unlink(missing_ok=True)


# ---------------------------------------------------------------------------- export jobs


def start_export(*, user: Any, kind: str, file_format: str, query: str) -> ExportJob:
    """Queue an export of what `user` sees through the list's filter (the query string)."""
    if not user.can(kind_or_error(kind).export_permission):
        raise PermissionDenied
    job = ExportJob.objects.create(
        company_id=user.company_id,
        user=user,
        kind=kind,
        file_format=file_format if file_format in FileFormat.values else FileFormat.XLSX,
        query=query[:1000],
    )
    from dealercrm.imports.tasks import write_export

    write_export.enqueue(job.pk)
    return job


def export_filters(kind: str, user: Any, params: QueryDict) -> Any:
    """The list filter of the kind built from request parameters (None: everything)."""
    definition = kind_or_error(kind)
    if not definition.filters:
        return None
    return import_string(definition.filters)(user, params)


def exporter_for(kind: str, user: Any, params: QueryDict) -> Exporter:
    """What `user` may export of the kind, through the list's filter in params."""
    definition = kind_or_error(kind)
    if not user.can(definition.export_permission):
        raise PermissionDenied
    return definition.exporter_class()(
        company=user.company, user=user, filters=export_filters(kind, user, params)
    )


def run_export_job(job_id: int) -> None:
    """The task body: write the export file, saving progress as it goes."""
    job = ExportJob.objects.select_related("company", "user").get(pk=job_id)
    path = _upload_dir("exports", str(job.company_id)) / f"{uuid.uuid4().hex}.{job.file_format}"
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, file_path=str(path))
    last = [0.0]

    def progress(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_INTERVAL or done >= total:
            last[0] = now
            ExportJob.objects.filter(pk=job.pk).update(rows_done=done, rows_total=total)

    try:
        exporter = exporter_for(job.kind, job.user, QueryDict(job.query))
        rows = _reporting(exporter.rows(), progress, exporter.count())
        count = write_table(path, exporter.headers(), rows)
    except Exception:
        logger.exception("export job %s failed", job.pk)
        path.unlink(missing_ok=True)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED,
            finished_at=timezone.now(),
            message=_("The export stopped on an unexpected error. Try again."),
        )
        return
    with transaction.atomic():
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.DONE, rows_done=count, rows_total=count, finished_at=timezone.now()
        )
        record_export(
            company=job.company,
            user=job.user,
            source=ExportSource.WEB,
            kind=job.kind,
            rows=count,
            file_name=job.download_name,
            query=job.query,
        )
