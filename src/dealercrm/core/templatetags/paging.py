"""{% pager page %}: the page links under a list, keeping the list's filters in the links."""

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("_pager.html", takes_context=True)
def pager(context: Any, page: Any) -> dict[str, Any]:
    return {
        "request": context.get("request"),
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
    }
