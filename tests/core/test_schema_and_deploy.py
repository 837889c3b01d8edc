"""The OpenAPI schema validates, and production settings pass Django's deploy checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def test_openapi_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "/api/v1/chapters/" in target.read_text()


def test_production_settings_pass_check_deploy():
    # The browser tests' async-unsafe switch is test-harness state; production never has it.
    harness_only = {"DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **{key: value for key, value in os.environ.items() if key not in harness_only},
        "DEBUG": "0",
        "SECRET_KEY": "x" * 64 + "-a-long-random-production-secret",
        "ALLOWED_HOSTS": "blockwork.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_api_docs_are_served_offline(client, db):
    for url in ("/api/docs/", "/api/docs/redoc/"):
        page = client.get(url).content.decode()
        assert "/static/drf_spectacular_sidecar/" in page
        assert "cdn" not in page.lower()
        assert 'src="http' not in page
