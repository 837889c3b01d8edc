"""The demo: endorsements at several stages, one nationally endorsed, and a second run adds nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from endorsements.models import Endorsement, StatusChange
from endorsements.models import EndorsementStatus as S


@pytest.mark.django_db
def test_seed_demo_makes_endorsements_at_each_stage_and_runs_twice(settings, tmp_path):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=StringIO())
    statuses = dict(Endorsement.objects.values_list("candidate__name", "status"))
    assert statuses == {
        "Rosa Alvarez": S.NATIONALLY_ENDORSED,
        "Marcus Lee": S.ENDORSED_LOCALLY,
        "Priya Natarajan": S.RESEARCH,
        "Jordan Pike": S.QUESTIONNAIRE_SENT,
        "Sam Okafor": S.DRAFT,
    }
    changes = StatusChange.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert Endorsement.objects.count() == 5
    assert StatusChange.objects.count() == changes
