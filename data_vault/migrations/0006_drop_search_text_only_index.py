"""
Drop the trigram index on search_text alone: the chapter, precinct and search index serves every search.

A multi-column GIN index answers a condition on any of its columns, so the
people list's searches, with or without a precinct, already use
person_precinct_search. The second trigram index only made every import's
person inserts about twice as slow.
"""

from django.db import migrations

INDEX = "person_search_trgm"


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON data_vault_person USING gin (search_text gin_trgm_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [("data_vault", "0005_contact_event_effects")]

    operations = [migrations.RunPython(drop_index, create_index)]
