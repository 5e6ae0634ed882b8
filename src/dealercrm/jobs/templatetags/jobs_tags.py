"""{% jobs_nav as nav %}: whether the user sees the jobs link, and how many jobs failed."""

from django import template

from dealercrm.jobs import services
from dealercrm.jobs.models import JobRun

register = template.Library()


@register.simple_tag(takes_context=True)
def jobs_nav(context) -> dict:
    user = context.get("user")
    if user is None or not getattr(user, "is_authenticated", False) or not user.can("jobs.view"):
        return {"show": False, "failing": 0}
    return {"show": True, "failing": len(services.failing_jobs(JobRun.objects.visible_to(user)))}
