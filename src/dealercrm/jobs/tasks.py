"""Background task (django-tasks): one day's run of a daily job for one company."""

from datetime import date

from django_tasks import task

from dealercrm.jobs import services


@task()
def run_daily_job(company_id: int, name: str, run_date: str) -> str | None:
    """Run the job if its run is waiting; the outcome is kept on the JobRun row."""
    run = services.execute_run(company_id, name, date.fromisoformat(run_date))
    return None if run is None else run.status
