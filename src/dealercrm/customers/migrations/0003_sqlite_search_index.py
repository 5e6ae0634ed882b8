"""On SQLite, an FTS5 trigram index makes the search box's substring match fast at 100k customers.

PostgreSQL has its pg_trgm index (0002); this migration does nothing there.
"""

from django.db import migrations

from dealercrm.customers import fulltext


def create_index(apps, schema_editor):
    fulltext.install(schema_editor.connection)


def drop_index(apps, schema_editor):
    fulltext.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("customers", "0002_search_trigram_index")]
    operations = [migrations.RunPython(create_index, drop_index)]
