"""The warnings list's filter form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dealercrm.accounts.choices import Role
from dealercrm.accounts.models import User
from dealercrm.core.pinyin import in_pinyin_order
from dealercrm.customers.choices import CustomerClass
from dealercrm.retention.choices import WarningKind
from dealercrm.retention.filters import WarningFilter


class WarningFilterForm(forms.Form):
    """GET parameters → a WarningFilter; a value that does not validate filters nothing."""

    kind = forms.ChoiceField(label=_("Warning"), required=False)
    rep = forms.ChoiceField(label=_("Sales rep"), required=False)
    abc_class = forms.ChoiceField(label=_("Class"), required=False)

    def __init__(self, data: Any = None, *, user: User) -> None:
        super().__init__(data)
        everything = [("", _("All"))]
        self.fields["kind"].choices = everything + WarningKind.choices
        self.fields["abc_class"].choices = (
            everything + CustomerClass.choices + [("none", _("No class"))]
        )
        if user.sees_whole_company:
            reps = User.objects.visible_to(user).filter(role__in=[Role.REP, Role.MANAGER])
            self.fields["rep"].choices = (
                everything
                + [("none", _("Nobody"))]
                + [(str(rep.pk), str(rep)) for rep in in_pinyin_order(reps)]
            )
        else:
            # A rep sees only own customers anyway.
            del self.fields["rep"]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def to_filter(self) -> WarningFilter:
        self.is_valid()
        values = getattr(self, "cleaned_data", {})
        return WarningFilter(
            kind=values.get("kind") or "",
            rep=values.get("rep") or "",
            abc_class=values.get("abc_class") or "",
        )
