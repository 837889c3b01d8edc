"""The bench scripts still build their data on the current schema: a model change must not break them silently."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest

from chapters.models import Chapter
from data_vault.models import ImportJob, Person


def _bench(name: str) -> Any:
    """Import a bench script as a module (bench/ is scripts, not a package mypy checks twice)."""
    return importlib.import_module(f"bench.{name}")


@pytest.mark.django_db(transaction=True)
def test_the_people_list_bench_builds_its_chapter() -> None:
    chapter = _bench("people_list_bench").build(people=250)

    assert Person.objects.filter(chapter=chapter).count() == 250


@pytest.mark.django_db
def test_the_import_bench_file_imports_and_reimports(tmp_path: Path) -> None:
    file_write, import_seconds = _bench("import_bench").file_write, _bench("import_bench").import_seconds

    chapter = Chapter.objects.create(slug="bench-check", name="Bench Check", state="NC", region="southeast")
    first, changed = tmp_path / "ncvoter.txt", tmp_path / "ncvoter_changed.txt"
    file_write(first, 40)
    file_write(changed, 40, changed_share=0.1)

    _, job = import_seconds(chapter, first, fast=True)
    _, again = import_seconds(chapter, changed, fast=True)

    assert (job.status, job.created_count) == (ImportJob.Status.DONE, 40)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 4, 36)

    # The floor inserts the same people into a chapter of its own, then rolls it all back.
    insert_s, _ = _bench("import_bench").floor_seconds(chapter, 1)
    assert insert_s > 0
    assert Person.objects.count() == 40
    assert not Chapter.objects.filter(slug="bench-floor-1").exists()
