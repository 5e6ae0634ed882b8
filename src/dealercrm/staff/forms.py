"""Forms of the staff pages; the rules live in staff/services.py and reach the fields from there."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dealercrm.customers.forms import StyledFormMixin
from dealercrm.regions.models import SalesRegion
from dealercrm.staff import services
from dealercrm.staff.choices import SKILL_LEVELS, EmployeeStatus
from dealercrm.staff.models import Employee, Skill, SkillAssessment, Training

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def put_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's ValidationError on the form's fields (unknown fields: on the form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, ValidationError(errors))


class EmployeeForm(StyledFormMixin, forms.ModelForm):
    """A staff profile. The company's rules (manager, left date, login) are checked by
    services.check_profile through the model instance."""

    class Meta:
        model = Employee
        fields = [
            "name",
            "position",
            "phone",
            "hire_date",
            "status",
            "left_on",
            "sales_region",
            "manager",
            "user",
            "base_latitude",
            "base_longitude",
            "notes",
        ]
        widgets = {
            "hire_date": DATE,
            "left_on": DATE,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "user": _("Optional: a login of the company that has no profile yet."),
            "left_on": _("Needed when the status is “left”."),
            "base_latitude": _("Where the day starts when the phone gives no position."),
        }

    def __init__(self, *args: Any, company: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.company = company
        employee = self.instance if self.instance.pk else None
        # Other companies' rows are offered nowhere; a row of theirs posted anyway is refused
        # by the field ("not one of the available choices") or by check_profile.
        managers = Employee.objects.for_company(company).order_by("status", "name")
        if employee is not None:
            managers = managers.exclude(pk=employee.pk)
        self.fields["manager"].queryset = managers
        self.fields["sales_region"].queryset = SalesRegion.objects.for_company(company)
        self.fields["user"].queryset = services.unlinked_logins(company, employee)
        self.fields["user"].label = _("Login")
        if employee is not None and employee.user_id:
            # A profile keeps its login; a login without a profile may be linked to one.
            self.fields["user"].disabled = True
            self.fields["user"].help_text = ""
        self.style_widgets()

    def _post_clean(self) -> None:
        super()._post_clean()
        if self.errors:
            return
        try:
            services.check_profile(self.instance)
        except ValidationError as error:
            put_errors(self, error)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("status") == EmployeeStatus.ACTIVE:
            data["left_on"] = None
        return data


class TrainingForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Training
        fields = ["date", "topic", "kind", "coach", "coach_name", "hours", "outcome"]
        widgets = {"date": DATE, "outcome": forms.Textarea(attrs={"rows": 2})}
        labels = {"coach": _("Coach (a colleague)")}

    def __init__(self, *args: Any, employee: Employee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.employee = employee
        self.fields["coach"].queryset = (
            Employee.objects.for_company(employee.company_id)
            .exclude(pk=employee.pk)
            .order_by("status", "name")
        )
        self.style_widgets()


class AssessmentForm(StyledFormMixin, forms.ModelForm):
    level = forms.TypedChoiceField(label=_("Level"), choices=SKILL_LEVELS, coerce=int)

    class Meta:
        model = SkillAssessment
        fields = ["skill", "level", "assessed_on", "note"]
        widgets = {"assessed_on": DATE}

    def __init__(self, *args: Any, employee: Employee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["skill"].queryset = Skill.objects.for_company(employee.company_id)
        self.style_widgets()


class SkillForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Skill
        fields = ["name", "description", "position"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["position"].required = False
        self.style_widgets()

    def clean_position(self) -> int:
        # Left empty: an existing skill keeps its place, a new one goes to the end (services).
        position = self.cleaned_data.get("position")
        if position is None:
            return self.instance.position if self.instance.pk else 0
        return position

    def validate_unique(self) -> None:
        # services.save_skill says it in the user's words (company is not a form field).
        pass


class StaffFilterForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            (EmployeeStatus.ACTIVE, _("active")),
            (EmployeeStatus.LEFT, _("left")),
            ("all", _("all")),
        ],
    )
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=SalesRegion.objects.none(), required=False
    )

    def __init__(self, *args: Any, company: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = SalesRegion.objects.for_company(company)
        self.fields["region"].empty_label = _("every region")
        self.style_widgets()
