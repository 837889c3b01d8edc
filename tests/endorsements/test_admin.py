"""Staff can look endorsements up in the admin, but the status only moves through the workflow."""

from __future__ import annotations

import pytest

from endorsements.models import EndorsementStatus as S
from tests.endorsements.factories import endorsement_submitted_nationally
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_staff_see_the_timeline_and_cannot_edit_the_status(client, organizer):
    endorsement = endorsement_submitted_nationally(organizer.chapter, organizer.user)
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True, mfa=True))
    url = f"/admin/endorsements/endorsement/{endorsement.pk}/change/"
    body = client.get(url).content.decode()
    assert "National request submitted" in body
    assert 'name="status"' not in body
    client.post(url, {"status": S.NATIONALLY_ENDORSED, "public_statement": "", "public_note": ""})
    endorsement.refresh_from_db()
    assert endorsement.status == S.NATIONAL_REQUESTED
    for page in ("race", "candidate", "questionnairetemplate", "nationalrequest"):
        assert client.get(f"/admin/endorsements/{page}/").status_code == 200
