"""The company's skill list: the boss adds, renames, reorders and deletes unused skills."""

import datetime as dt

from django.urls import reverse

from dealercrm.staff.models import Skill, SkillAssessment
from dealercrm.staff.services import profile_for

SKILLS = "/staff/skills/"


def _skill(personas, name, position):
    return Skill.objects.create(company=personas.company, name=name, position=position)


def test_the_boss_adds_a_skill_at_the_end_of_the_list(client, personas):
    _skill(personas, "陈列", 1)
    client.force_login(personas.boss)
    response = client.post(SKILLS, {"name": " 谈判 ", "description": "价格与账期"})
    assert response.status_code == 302
    added = Skill.objects.get(name="谈判")
    assert (added.company, added.position, added.description) == (personas.company, 2, "价格与账期")


def test_a_skill_name_is_unique_in_the_company_only(client, personas):
    _skill(personas, "陈列", 1)
    Skill.objects.create(company=personas.outsider_company, name="收款")
    client.force_login(personas.boss)
    response = client.post(SKILLS, {"name": "陈列"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert "There is a skill “陈列” already." in response.content.decode()
    assert client.post(SKILLS, {"name": "收款"}).status_code == 302
    assert Skill.objects.filter(company=personas.company).count() == 2


def test_only_the_boss_changes_the_skill_list_and_managers_read_it(client, personas):
    skill = _skill(personas, "陈列", 1)
    client.force_login(personas.manager)
    page = client.get(SKILLS)
    assert page.status_code == 200 and "陈列" in page.content.decode()
    assert 'id="skill-form"' not in page.content.decode()
    assert client.post(SKILLS, {"name": "谈判"}).status_code == 403
    edit = reverse("staff:skill_edit", args=[skill.pk])
    assert client.post(edit, {f"s{skill.pk}-name": "改"}).status_code == 403
    assert client.post(reverse("staff:skill_delete", args=[skill.pk])).status_code == 403
    client.force_login(personas.rep)
    assert client.get(SKILLS).status_code == 403
    assert list(Skill.objects.values_list("name", flat=True)) == ["陈列"]


def test_the_boss_renames_and_reorders(client, personas):
    first, second = _skill(personas, "陈列", 1), _skill(personas, "谈判", 2)
    client.force_login(personas.boss)
    client.post(
        reverse("staff:skill_edit", args=[first.pk]),
        {f"s{first.pk}-name": "终端陈列", f"s{first.pk}-position": 1},
    )
    client.post(reverse("staff:skill_move", args=[second.pk]), {"direction": "up"})
    names = list(Skill.objects.for_company(personas.company).values_list("name", flat=True))
    assert names == ["谈判", "终端陈列"]


def test_a_skill_in_use_cannot_be_deleted(client, personas):
    used, unused = _skill(personas, "陈列", 1), _skill(personas, "谈判", 2)
    SkillAssessment.objects.create(
        company=personas.company,
        employee=profile_for(personas.rep),
        skill=used,
        level=3,
        assessed_on=dt.date(2026, 1, 1),
    )
    client.force_login(personas.boss)
    response = client.post(
        reverse("staff:skill_delete", args=[used.pk]), follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "“陈列” cannot be deleted: 1 assessments use it." in response.content.decode()
    client.post(reverse("staff:skill_delete", args=[unused.pk]))
    assert list(Skill.objects.values_list("name", flat=True)) == ["陈列"]


def test_another_companys_skill_is_not_found(client, personas):
    theirs = Skill.objects.create(company=personas.outsider_company, name="陈列")
    client.force_login(personas.boss)
    assert client.post(reverse("staff:skill_delete", args=[theirs.pk])).status_code == 404
    assert Skill.objects.filter(pk=theirs.pk).exists()


def test_a_rename_with_the_order_left_empty_keeps_the_place(client, personas):
    _skill(personas, "陈列", 1)
    second = _skill(personas, "谈判", 2)
    client.force_login(personas.boss)
    client.post(
        reverse("staff:skill_edit", args=[second.pk]),
        {f"s{second.pk}-name": "价格谈判", f"s{second.pk}-position": ""},
    )
    second.refresh_from_db()
    assert (second.name, second.position) == ("价格谈判", 2)
