"""Tags, support scores and do-not-contact set by hand are audited once; a no-op writes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import AuditEvent
from data_vault import services
from data_vault.models import ContactEvent, Person, Provenance
from tests.data_vault.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _audits(person: Person, **details):
    return AuditEvent.objects.filter(
        action=AuditEvent.Action.UPDATE,
        target_id=str(person.pk),
        **{f"details__{key}": value for key, value in details.items()},
    )


def test_a_tag_added_twice_is_audited_once(chapter, organizer):
    person = PersonFactory.create(chapter=chapter)
    services.person_tag_add(person=person, tag_name="Tenant leader", actor=organizer.user)
    services.person_tag_add(person=person, tag_name="tenant  LEADER", actor=organizer.user)
    audit = _audits(person).get()
    assert (audit.details, audit.actor, audit.chapter) == ({"tag_added": "Tenant leader"}, organizer.user, chapter)


def test_a_tag_removed_is_audited_once_and_removing_a_missing_tag_writes_nothing(chapter, organizer):
    person = PersonFactory.create(chapter=chapter)
    tag = services.person_tag_add(person=person, tag_name="door knocker", actor=organizer.user)
    services.person_tag_remove(person=person, tag=tag, actor=organizer.user)
    services.person_tag_remove(person=person, tag=tag, actor=organizer.user)
    assert not person.tags.exists()
    assert _audits(person, tag_removed="door knocker").count() == 1
    assert _audits(person).count() == 2


def test_a_support_score_by_hand_is_audited_and_kept_in_provenance_once(chapter, organizer):
    person = PersonFactory.create(chapter=chapter, support_score=None)
    services.person_support_set(person=person, score=4, actor=organizer.user)
    services.person_support_set(person=person, score=4, actor=organizer.user)
    person.refresh_from_db()
    assert person.support_score == 4
    audit = _audits(person).get()
    assert audit.details == {"fields": ["support_score"], "support_score": [None, 4]}
    provenance = Provenance.objects.get(person=person)
    assert (provenance.action, provenance.fields, provenance.actor) == (
        Provenance.Action.EDITED,
        ["support_score"],
        organizer.user,
    )
    services.person_support_set(person=person, score=None, actor=organizer.user)
    assert _audits(person).count() == 2
    assert Provenance.objects.filter(person=person).count() == 2


def test_a_refused_support_score_writes_nothing(chapter, organizer):
    person = PersonFactory.create(chapter=chapter, support_score=2)
    with pytest.raises(services.ApplicationError):
        services.person_support_set(person=person, score=9, actor=organizer.user)
    assert not _audits(person).exists()
    assert not Provenance.objects.filter(person=person).exists()


def test_do_not_contact_marked_twice_is_audited_once(chapter, organizer):
    person = PersonFactory.create(chapter=chapter)
    services.person_do_not_contact_set(person=person, channel="text", reason="Asked", actor=organizer.user)
    services.person_do_not_contact_set(person=person, channel="text", reason="Again", actor=organizer.user)
    assert person.do_not_contact.get().reason == "Asked"
    assert list(_audits(person).values_list("details", flat=True)) == [{"do_not_contact_set": "text"}]


def test_the_person_page_audits_each_hand_edit(client, chapter, organizer):
    person = PersonFactory.create(chapter=chapter)
    client.force_login(organizer.user)
    url = reverse("data_vault:person_tag_add", kwargs={"chapter": chapter.slug, "pk": person.pk})
    client.post(url, {"name": "phonebank"})
    client.post(url, {"name": "phonebank"})
    dnc = reverse("data_vault:person_do_not_contact_set", kwargs={"chapter": chapter.slug, "pk": person.pk})
    client.post(dnc, {"channel": "phone", "reason": "Wrong number"})
    client.post(dnc, {"channel": "phone", "reason": "Wrong number"})
    assert sorted(next(iter(d)) for d in _audits(person).values_list("details", flat=True)) == [
        "do_not_contact_set",
        "tag_added",
    ]


def test_effects_of_a_contact_event_are_left_to_the_event_not_the_audit_trail(chapter, canvasser):
    person = PersonFactory.create(chapter=chapter)
    event, _ = services.contact_event_record(
        chapter=chapter, recorded_by=canvasser.user, channel="text", result="opted_out", person=person
    )
    services.person_tag_add(person=person, tag_name="supporter", actor=canvasser.user, contact_event=event)
    services.person_support_set(person=person, score=5, actor=canvasser.user, contact_event=event)
    assert person.do_not_contact.get().channel == "text"
    assert person.tags.get().name == "supporter"
    assert ContactEvent.objects.get().recorded_by == canvasser.user
    assert not _audits(person).exists()
    assert not Provenance.objects.filter(person=person).exists()
