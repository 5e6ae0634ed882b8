"""On PostgreSQL, leave room in each page of the results table for HOT updates.

A daily run rewrites the rank and share of most customers (every rank below a customer whose
sales moved shifts); with free space in the page and no index on the rewritten columns,
PostgreSQL updates the row in place without touching the indexes (about 7x faster measured at
100,000 customers).
"""

from django.db import migrations


def set_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE segmentation_classresult SET (fillfactor = 50)")


def reset_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE segmentation_classresult RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("segmentation", "0001_initial")]

    operations = [migrations.RunPython(set_fillfactor, reset_fillfactor)]
