"""The tenant: the dealer company that uses the system."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

company_code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$",
    _("Use letters, digits, - and _ (at most 32)."),
)


class Company(models.Model):
    """A dealer (经销商). Every business row belongs to exactly one."""

    code = models.CharField(
        _("code"), max_length=32, unique=True, validators=[company_code_validator]
    )
    name = models.CharField(_("name"), max_length=100)
    time_zone = models.CharField(_("time zone"), max_length=40, default="Asia/Shanghai")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name
