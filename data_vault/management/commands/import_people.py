"""Import a voter file or contact list into a chapter's vault from the command line."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chapters.models import Chapter
from core.errors import ApplicationError
from data_vault.importers.jobs import import_people
from data_vault.importers.presets import PRESETS
from data_vault.models import ImportJob


class Command(BaseCommand):
    help = "Import people from FILE into a chapter's vault, through the same pipeline as the page and the API."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--chapter", required=True, help="The chapter's slug.")
        parser.add_argument(
            "--preset", default="", choices=["", *PRESETS], help="The file's layout; detected if left out."
        )
        parser.add_argument("file", help="CSV, TSV, pipe-separated or XLSX; plain, .zip or .gz.")

    def handle(self, *args: Any, **options: Any) -> None:
        chapter = Chapter.objects.filter(slug=options["chapter"]).first()
        if chapter is None:
            raise CommandError(f"There is no chapter {options['chapter']!r}.")
        try:
            job = import_people(chapter=chapter, path=options["file"], preset=options["preset"])
        except FileNotFoundError as error:
            raise CommandError(f"There is no file {options['file']!r}.") from error
        except ApplicationError as error:
            raise CommandError(error.message) from error
        if job.status != ImportJob.Status.DONE:
            raise CommandError(job.error or f"The import ended {job.get_status_display().lower()}.")
        self.stdout.write(
            f"created={job.created_count} updated={job.updated_count} "
            f"unchanged={job.unchanged_count} rejected={job.rejected_count}"
        )
        if job.rejected_count:
            self.stdout.write(
                f"The rejected rows, with their reasons, are on the import's page: {job.get_absolute_url()}"
            )
