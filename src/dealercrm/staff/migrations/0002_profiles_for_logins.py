"""Every existing login of a company gets an employee profile (new logins get one when created)."""

from django.db import migrations


def create_profiles(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Employee = apps.get_model("staff", "Employee")
    having = set(Employee.objects.exclude(user=None).values_list("user_id", flat=True))
    Employee.objects.bulk_create(
        Employee(
            company_id=user.company_id,
            user_id=user.pk,
            name=user.display_name or user.username,
            phone=user.mobile,
            status="active" if user.is_active else "left",
        )
        for user in User.objects.exclude(company=None).order_by("pk")
        if user.pk not in having
    )


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0001_initial"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_profiles, migrations.RunPython.noop)]
