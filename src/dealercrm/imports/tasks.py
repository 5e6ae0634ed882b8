"""Background tasks (django-tasks): imports are checked and committed, large exports written."""

from django_tasks import task

from dealercrm.imports import services


@task()
def check_import(job_id: int) -> None:
    """Pass 1 and a dry run of an uploaded file: its errors, or what it would change."""
    services.run_import_job(job_id, write=False)


@task()
def commit_import(job_id: int) -> None:
    """Write a checked file in one transaction."""
    services.run_import_job(job_id, write=True)


@task()
def write_export(job_id: int) -> None:
    """Write a large export to a file for download."""
    services.run_export_job(job_id)
