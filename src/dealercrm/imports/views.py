"""Pages of imports and exports: upload, the job page polled by htmx, commit, download.

Jobs are fetched through `visible_to(user)`, so another company's job id gives 404; who may
import or export a kind comes from `user.can(...)` and is refused with 403.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dealercrm.imports import services
from dealercrm.imports.choices import ExportStatus, FileFormat
from dealercrm.imports.forms import ExportLogFilterForm, UploadForm
from dealercrm.imports.models import ExportJob, ImportJob
from dealercrm.imports.registry import Kind, get_kind
from dealercrm.imports.tables import CONTENT_TYPES, csv_chunks, xlsx_bytes

RECENT_JOBS = 10
EXPORT_LOG_PAGE_SIZE = 50


def _kind(name: str, request: HttpRequest, *, export: bool = False) -> Kind:
    kind = get_kind(name)
    if kind is None:
        raise Http404
    permission = kind.export_permission if export else kind.import_permission
    if not request.user.can(permission):
        raise PermissionDenied
    return kind


def _import_job(request: HttpRequest, pk: int) -> tuple[ImportJob, Kind]:
    job = get_object_or_404(ImportJob.objects.visible_to(request.user), pk=pk)
    return job, _kind(job.kind, request)


@login_required
def import_upload(request: HttpRequest, kind: str) -> HttpResponse:
    definition = _kind(kind, request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.start_import(
                user=request.user, kind=kind, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("imports:import_job", pk=job.pk)
    importer = definition.importer_class()
    recent = ImportJob.objects.visible_to(request.user).filter(kind=kind).select_related("user")
    return render(
        request,
        "imports/import_form.html",
        {
            "kind": definition,
            "form": form,
            "columns": importer.spec.columns,
            "can_export": request.user.can(definition.export_permission),
            "recent": recent[:RECENT_JOBS],
        },
    )


@login_required
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job, definition = _import_job(request, pk)
    services.live_progress(job)
    template = "imports/import_job.html"
    if request.htmx:
        template += "#panel"
    return render(request, template, {"job": job, "kind": definition})


@login_required
@require_POST
def import_commit(request: HttpRequest, pk: int) -> HttpResponse:
    job, _definition = _import_job(request, pk)
    try:
        services.commit_import(job, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("imports:import_job", pk=job.pk)


@login_required
def export(request: HttpRequest, kind: str) -> HttpResponse:
    """The file at once for up to DIRECT_EXPORT_LIMIT rows; above, a job with a download link."""
    _kind(kind, request, export=True)
    file_format = request.GET.get("format", FileFormat.XLSX)
    if file_format not in FileFormat.values:
        file_format = FileFormat.XLSX
    query = request.GET.copy()
    query.pop("format", None)
    query.pop("page", None)
    exporter = services.exporter_for(kind, request.user, query)
    if exporter.count() > services.DIRECT_EXPORT_LIMIT:
        job = services.start_export(
            user=request.user, kind=kind, file_format=file_format, query=query.urlencode()
        )
        return redirect("imports:export_job", pk=job.pk)
    name = f"{kind}-{timezone.localtime():%Y%m%d-%H%M}.{file_format}"
    # Logged (ExportRecord) when the last row has been written into the file.
    rows = services.logged_rows(
        exporter.rows(), user=request.user, kind=kind, file_name=name, query=query.urlencode()
    )
    if file_format == FileFormat.CSV:
        response: HttpResponse | StreamingHttpResponse = StreamingHttpResponse(
            csv_chunks(exporter.headers(), rows), content_type=CONTENT_TYPES["csv"]
        )
    else:
        response = HttpResponse(
            xlsx_bytes(exporter.headers(), rows), content_type=CONTENT_TYPES["xlsx"]
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _export_job(request: HttpRequest, pk: int) -> tuple[ExportJob, Kind]:
    # The file holds what its requester may see: only they download it.
    jobs = ExportJob.objects.visible_to(request.user).filter(user_id=request.user.pk)
    job = get_object_or_404(jobs, pk=pk)
    return job, _kind(job.kind, request, export=True)


@login_required
def export_job(request: HttpRequest, pk: int) -> HttpResponse:
    job, definition = _export_job(request, pk)
    template = "imports/export_job.html"
    if request.htmx:
        template += "#panel"
    return render(request, template, {"job": job, "kind": definition})


@login_required
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    job, _definition = _export_job(request, pk)
    path = Path(job.file_path)
    if job.status != ExportStatus.DONE or not path.is_file():
        raise Http404(_("The file is not ready."))
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=job.download_name,
        content_type=CONTENT_TYPES[job.file_format],
    )


@login_required
def export_log(request: HttpRequest) -> HttpResponse:
    """Who exported what, when, how many rows (perm export.log)."""
    if not request.user.can("export.log"):
        raise PermissionDenied
    form = ExportLogFilterForm(request.GET or None, viewer=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    records = services.export_log(
        request.user,
        user=filters.get("user"),
        kind=filters.get("kind", ""),
        month=filters.get("month"),
    )
    page = Paginator(records, EXPORT_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "imports/export_log.html", {"form": form, "page": page})
