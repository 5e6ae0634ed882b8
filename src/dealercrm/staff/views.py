"""Staff pages: the list, a profile's form, the employee page, trainings, skills.

Employees are fetched through `Employee.objects.visible_to(user)`: boss and managers see the
whole staff, anyone else only their own profile, so another employee's page is a 404 for them
(as another rep's customer is); changes need staff.manage, the skill list staff.skills (403).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dealercrm.staff import services
from dealercrm.staff.forms import (
    AssessmentForm,
    EmployeeForm,
    SkillForm,
    StaffFilterForm,
    TrainingForm,
    put_errors,
)
from dealercrm.staff.models import Employee, Skill, SkillAssessment, Training


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.can(permission):
        raise PermissionDenied


def _employee(request: HttpRequest, pk: int) -> Employee:
    employees = Employee.objects.visible_to(request.user).select_related(
        "company", "manager", "sales_region", "user"
    )
    return get_object_or_404(employees, pk=pk)


def handover_url(employee: Employee) -> str:
    """The ownership app's handover page for the employee, when that page exists."""
    try:
        return reverse("ownership:handover", args=[employee.pk])
    except NoReverseMatch:
        return ""


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    _require(request, "staff.view")
    form = StaffFilterForm(request.GET or None, company=request.user.company_id)
    data = form.cleaned_data if form.is_valid() else {}
    rows = services.staff_rows(
        request.user, status=data.get("status") or "active", region=data.get("region")
    )
    return render(
        request,
        "staff/staff_list.html",
        {"rows": rows, "form": form, "can_manage": request.user.can("staff.manage")},
    )


def _edit(request: HttpRequest, employee: Employee | None) -> HttpResponse:
    _require(request, "staff.manage")
    form = EmployeeForm(request.POST or None, instance=employee, company=request.user.company)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_employee(form.instance, actor=request.user)
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("Profile of %(name)s saved.") % {"name": saved.name})
            return redirect("staff:detail", pk=saved.pk)
    return render(
        request,
        "staff/employee_form.html",
        {
            "form": form,
            "employee": employee,
            "handover_url": handover_url(employee) if employee else "",
        },
    )


@login_required
def employee_create(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@login_required
def employee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, _employee(request, pk))


def _detail(
    request: HttpRequest,
    employee: Employee,
    *,
    training_form: TrainingForm | None = None,
    assessment_form: AssessmentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    figures = services.employee_figures(employee)
    can_manage = request.user.can("staff.manage")
    owns_customers = figures.customers > 0
    context = {
        "employee": employee,
        "figures": figures,
        "can_manage": can_manage,
        "sales_chart": figures.sales_chart({"seriesName": _("Sales")}),
        "visits_chart": figures.visits_chart(
            {"doneName": _("Done"), "expectedName": _("Expected")}
        ),
        "skills_chart": figures.skills_chart(),
        "handover_url": handover_url(employee)
        if request.user.can("customer.handover") and owns_customers
        else "",
    }
    if can_manage:
        context["training_form"] = training_form or TrainingForm(employee=employee)
        context["assessment_form"] = assessment_form or AssessmentForm(employee=employee)
    return render(request, "staff/employee_detail.html", context, status=status)


@login_required
def employee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _employee(request, pk))


@login_required
def my_profile(request: HttpRequest) -> HttpResponse:
    """The user's own employee page (created from the login if it has no profile yet)."""
    if request.user.company_id is None:
        raise Http404
    return redirect("staff:detail", services.profile_for(request.user).pk)


@login_required
@require_POST
def training_add(request: HttpRequest, pk: int) -> HttpResponse:
    employee = _employee(request, pk)
    _require(request, "staff.manage")
    form = TrainingForm(request.POST, employee=employee)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_training(
                employee,
                date=data["date"],
                topic=data["topic"],
                kind=data["kind"],
                coach=data.get("coach"),
                coach_name=data.get("coach_name") or "",
                hours=data.get("hours"),
                outcome=data.get("outcome") or "",
                actor=request.user,
            )
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("Training recorded."))
            return redirect(reverse("staff:detail", args=[employee.pk]) + "#trainings")
    return _detail(request, employee, training_form=form, status=422)


@login_required
@require_POST
def training_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "staff.manage")
    training = get_object_or_404(Training.objects.visible_to(request.user), pk=pk)
    training.delete()
    messages.success(request, _("Training deleted."))
    return redirect(reverse("staff:detail", args=[training.employee_id]) + "#trainings")


@login_required
@require_POST
def assessment_add(request: HttpRequest, pk: int) -> HttpResponse:
    employee = _employee(request, pk)
    _require(request, "staff.manage")
    form = AssessmentForm(request.POST, employee=employee)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.assess(
                employee,
                skill=data["skill"],
                level=data["level"],
                assessed_on=data["assessed_on"],
                note=data.get("note") or "",
                actor=request.user,
            )
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("Assessment recorded."))
            return redirect(reverse("staff:detail", args=[employee.pk]) + "#skills")
    return _detail(request, employee, assessment_form=form, status=422)


@login_required
@require_POST
def assessment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "staff.manage")
    assessment = get_object_or_404(SkillAssessment.objects.visible_to(request.user), pk=pk)
    assessment.delete()
    messages.success(request, _("Assessment deleted."))
    return redirect(reverse("staff:detail", args=[assessment.employee_id]) + "#skills")


# ---------------------------------------------------------------------------- skills


@login_required
def skill_list(request: HttpRequest) -> HttpResponse:
    """The company's skills; boss adds, renames, reorders and deletes (staff.skills)."""
    _require(request, "staff.view")
    can_edit = request.user.can("staff.skills")
    form = SkillForm(request.POST or None)
    if request.method == "POST":
        _require(request, "staff.skills")
        if form.is_valid():
            skill = form.save(commit=False)
            skill.company_id = request.user.company_id
            try:
                services.save_skill(skill)
            except ValidationError as error:
                put_errors(form, error)
            else:
                messages.success(request, _("Skill “%(name)s” added.") % {"name": skill.name})
                return redirect("staff:skills")
    skills = list(Skill.objects.visible_to(request.user).order_by("position", "name", "id"))
    edit_forms = [(skill, SkillForm(instance=skill, prefix=f"s{skill.pk}")) for skill in skills]
    return render(
        request,
        "staff/skill_list.html",
        {"form": form, "skills": edit_forms, "can_edit": can_edit},
        status=422 if form.errors else 200,
    )


def _skill(request: HttpRequest, pk: int) -> Skill:
    _require(request, "staff.skills")
    return get_object_or_404(Skill.objects.visible_to(request.user), pk=pk)


@login_required
@require_POST
def skill_edit(request: HttpRequest, pk: int) -> HttpResponse:
    skill = _skill(request, pk)
    old_name = skill.name
    form = SkillForm(request.POST, instance=skill, prefix=f"s{skill.pk}")
    if form.is_valid():
        try:
            services.save_skill(form.instance)
        except ValidationError as error:
            put_errors(form, error)
    if form.errors:
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, f"{old_name}: {problem}")
    else:
        messages.success(request, _("Skill “%(name)s” saved.") % {"name": skill.name})
    return redirect("staff:skills")


@login_required
@require_POST
def skill_move(request: HttpRequest, pk: int) -> HttpResponse:
    skill = _skill(request, pk)
    services.move_skill(skill, -1 if request.POST.get("direction") == "up" else 1)
    return redirect("staff:skills")


@login_required
@require_POST
def skill_delete(request: HttpRequest, pk: int) -> HttpResponse:
    skill = _skill(request, pk)
    try:
        services.delete_skill(skill)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Skill “%(name)s” deleted.") % {"name": skill.name})
    return redirect("staff:skills")
