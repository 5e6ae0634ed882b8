from django.db import models
from django.utils.translation import gettext_lazy as _


class EmployeeStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    LEFT = "left", _("left")


class TrainingKind(models.TextChoices):
    MENTORING = "mentoring", _("mentoring (传帮带)")
    COURSE = "course", _("external course")
    ON_THE_JOB = "on_the_job", _("on-the-job training")


# Skill levels 1–5, the labels a boss reads on the employee page.
SKILL_LEVELS = [
    (1, _("1 · beginner")),
    (2, _("2 · can do it with help")),
    (3, _("3 · can do it alone")),
    (4, _("4 · does it well")),
    (5, _("5 · can teach it")),
]
