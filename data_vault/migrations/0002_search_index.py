"""Name and address search: a trigram index on Person.search_text, on PostgreSQL only."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "person_search_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON data_vault_person USING gin (search_text gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("data_vault", "0001_initial")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_index, drop_index),
    ]
