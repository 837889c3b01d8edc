"""
The people list filtered by precinct plus a name search: one GIN index over both, on PostgreSQL only.

With btree_gin, the precinct is an index key beside the search text's trigrams,
so Postgres intersects them inside one index instead of ANDing a precinct
bitmap with every row whose text holds the searched word.
"""

from django.contrib.postgres.operations import BtreeGinExtension
from django.db import migrations

INDEX = "person_precinct_search"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON data_vault_person "
            "USING gin (chapter_id, precinct, search_text gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("data_vault", "0002_search_index")]

    operations = [
        BtreeGinExtension(),
        migrations.RunPython(create_index, drop_index),
    ]
