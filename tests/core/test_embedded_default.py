"""
The embedded default `make run` starts: SQLite, tasks in process, the demo seeded.

Every other test runs on PostgreSQL. This one starts manage.py in a child process
with no DATABASE_URL service and no REDIS_URL, as `make run` does, so the SQLite
migrations, the demo, the portable import path and the SQLite search are run too.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.data_vault import import_files as files

ROOT = Path(__file__).resolve().parents[2]
PEOPLE_PAGE = """
from django.test import Client
from core.models import User
from data_vault import selectors
from chapters.models import Chapter

chapter = Chapter.objects.get(slug="durham")
found = selectors.person_list(chapter=chapter, filters={"q": "garc mai", "precinct": ["05"], "age_min": 18})
print("found", sorted(person.state_voter_id for person in found))
client = Client(HTTP_HOST="localhost")
print("healthz", client.get("/healthz").content.decode())
"""


def _manage(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_make_run_works_on_sqlite_with_tasks_in_process(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'blockwork.sqlite3'}", MEDIA_ROOT=str(tmp_path / "media"), DEBUG="1"
    )
    _manage("migrate", "--no-input", env=env)
    seeded = _manage("seed_demo", env=env)
    logins = seeded[seeded.index("Demo data is ready.") :]  # after the console's copy of the demo's emails
    assert "organizer@durham.example" in logins
    assert "Password for every demo login:" in logins
    assert _manage("seed_demo", env=env).endswith(logins)  # safe to run again

    voters = str(files.write(tmp_path / "ncvoter.txt", files.ncvoter_text()))
    first = _manage("import_people", "--chapter", "durham", "--preset", "ncvoter", voters, env=env)
    assert first.splitlines()[0] == "created=3 updated=0 unchanged=0 rejected=0"
    again = _manage("import_people", "--chapter", "durham", voters, env=env)
    assert again.splitlines()[0] == "created=0 updated=0 unchanged=3 rejected=0"

    shown = _manage("shell", "-c", PEOPLE_PAGE, env=env).splitlines()
    assert "found ['AA1', 'AA2']" in shown  # word starts: GARCIA of 12 MAIN ST, not the demo's other Garcias
    assert 'healthz {"status": "ok", "database": "ok", "broker": "in-process"}' in shown
