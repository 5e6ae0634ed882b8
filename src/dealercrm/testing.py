"""Factories and personas shared by every app's tests."""

from __future__ import annotations

from dataclasses import dataclass

import factory

from dealercrm.accounts.choices import Role
from dealercrm.accounts.models import User
from dealercrm.companies.models import Company
from dealercrm.core.models import AuditSource
from dealercrm.customers import services
from dealercrm.customers.choices import CustomerKind
from dealercrm.customers.models import Customer

PASSWORD = "secret-pw-1"


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"CO{n}")
    name = factory.Sequence(lambda n: f"经销商{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    company = factory.SubFactory(CompanyFactory)
    role = Role.REP
    display_name = factory.Sequence(lambda n: f"员工{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def make_customer(company: Company, *, rep: User | None = None, **fields) -> Customer:
    """A customer created through the service, as a page or import would."""
    fields.setdefault("code", f"C{Customer.objects.count() + 1:05d}")
    fields.setdefault("name", "测试客户")
    fields.setdefault("kind", CustomerKind.TERMINAL)
    return services.create_customer(
        company=company, actor=None, source=AuditSource.SYSTEM, fields=fields, rep=rep
    )


@dataclass
class Personas:
    """Company 'alpha' with every role and two reps, and an outsider company 'beta'."""

    company: Company
    boss: User
    manager: User
    clerk: User
    rep: User  # alice
    other_rep: User  # bob
    outsider_company: Company
    outsider: User  # beta's boss
    rep_customer: Customer  # 华鑫超市, owned by alice
    other_rep_customer: Customer  # owned by bob
    outsider_customer: Customer  # beta's, also named 华鑫超市


def build_personas() -> Personas:
    alpha = CompanyFactory(code="ALPHA", name="阿尔法食品")
    beta = CompanyFactory(code="BETA", name="贝塔商贸")
    boss = UserFactory(username="boss", company=alpha, role=Role.BOSS, display_name="王老板")
    manager = UserFactory(
        username="manager", company=alpha, role=Role.MANAGER, display_name="李经理"
    )
    clerk = UserFactory(username="clerk", company=alpha, role=Role.CLERK, display_name="赵内勤")
    alice = UserFactory(username="alice", company=alpha, role=Role.REP, display_name="张爱丽")
    bob = UserFactory(username="bob", company=alpha, role=Role.REP, display_name="刘波")
    outsider = UserFactory(username="outsider", company=beta, role=Role.BOSS, display_name="外人")
    _give_profiles(manager, [boss, manager, clerk, alice, bob, outsider])
    return Personas(
        company=alpha,
        boss=boss,
        manager=manager,
        clerk=clerk,
        rep=alice,
        other_rep=bob,
        outsider_company=beta,
        outsider=outsider,
        rep_customer=make_customer(
            alpha,
            rep=alice,
            code="A001",
            name="华鑫超市",
            phone="13812345678",
            address="河南省南阳市新野县汉城路1号",
        ),
        other_rep_customer=make_customer(alpha, rep=bob, code="A002", name="红星便利店"),
        outsider_customer=make_customer(beta, code="A001", name="华鑫超市", phone="13912345678"),
    )


def _give_profiles(manager: User, users: list[User]) -> None:
    """Every login is an employee too (as accounts.services.create_user makes it); the manager
    persona manages the reps and the clerk."""
    from dealercrm.staff.services import profile_for

    boss_of = profile_for(manager)
    for user in users:
        profile = profile_for(user)
        if user.role in (Role.REP, Role.CLERK) and user.company_id == manager.company_id:
            profile.manager = boss_of
            profile.save(update_fields=["manager"])


def log_in(page, username: str) -> None:
    """Log in through the login page of a Playwright page (password PASSWORD)."""
    import re

    from django.urls import reverse

    page.goto(reverse("accounts:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/customers/"))


def watch_for_blocked_content(page) -> list[str]:
    """Console errors (a CSP refusal shows up here) collected while a browser test runs."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems
