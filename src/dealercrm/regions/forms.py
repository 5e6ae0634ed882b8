"""The form of the sales-region page: name, place in the tree, notes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dealercrm.accounts.models import User
from dealercrm.regions.models import SalesRegion
from dealercrm.regions.services import region_tree


class SalesRegionForm(forms.Form):
    """Add, rename or move a region; the parent choices leave out the region's own subtree."""

    name = forms.CharField(label=_("Name"), max_length=50)
    parent = forms.ModelChoiceField(
        label=_("Under"),
        queryset=SalesRegion.objects.none(),
        required=False,
        empty_label=_("(top level)"),
    )
    notes = forms.CharField(label=_("Notes"), max_length=200, required=False)

    def __init__(self, *args: Any, user: User, region: SalesRegion | None = None, **kwargs: Any):
        if region is not None:
            kwargs.setdefault(
                "initial", {"name": region.name, "parent": region.parent_id, "notes": region.notes}
            )
        super().__init__(*args, **kwargs)
        regions = SalesRegion.objects.visible_to(user)
        if region is not None:
            # A region cannot move under itself or below it.
            regions = regions.exclude(pk__in=region.descendant_ids())
        parent = self.fields["parent"]
        parent.queryset = regions
        parent.choices = [("", parent.empty_label)] + [
            (r.pk, "— " * depth + r.name) for r, depth in region_tree(regions)
        ]
        for name, field in self.fields.items():
            css = "form-select" if name == "parent" else "form-control"
            field.widget.attrs["class"] = css
            if self.is_bound and name in self.errors:
                field.widget.attrs["class"] += " is-invalid"
