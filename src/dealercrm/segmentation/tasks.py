"""Background tasks (django-tasks): a recomputation of the classes started from the page."""

from django_tasks import task

from dealercrm.segmentation import services


@task()
def recompute_classes(run_id: int) -> None:
    """Classify the run's company as of its date; the classes page polls the run."""
    services.run_recompute(run_id)
