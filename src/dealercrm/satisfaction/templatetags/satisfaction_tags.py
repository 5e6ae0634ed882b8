"""`{% customer_satisfaction_section %}`: the satisfaction section of the customer page."""

from __future__ import annotations

from typing import Any

from django import template

from dealercrm.satisfaction import services
from dealercrm.satisfaction.forms import LinkForm, ScoreForm
from dealercrm.satisfaction.models import Survey, SurveyLink

register = template.Library()
RECENT_SHOWN = 5


@register.inclusion_tag("satisfaction/_customer_satisfaction_section.html", takes_context=True)
def customer_satisfaction_section(context: template.Context) -> dict[str, Any]:
    customer = context["customer"]
    request = context["request"]
    user = request.user
    answers = Survey.objects.visible_to(user).filter(customer_id=customer.pk)
    links = SurveyLink.objects.visible_to(user).filter(customer_id=customer.pk)
    waiting = [
        link for link in links.filter(used_at__isnull=True) if services.link_state(link) == "open"
    ]
    can_record = services.may_record(user, customer)
    return {
        "customer": customer,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "recent": list(answers.select_related("recorded_by")[:RECENT_SHOWN]),
        "answer_count": answers.count(),
        "waiting_links": len(waiting),
        "score_form": ScoreForm(auto_id="score_%s") if can_record else None,
        "link_form": LinkForm(auto_id="link_%s") if user.can("survey.link") else None,
    }
