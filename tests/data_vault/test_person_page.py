"""The person page: details, household, history and provenance; edits, logged contacts, tags, ladder, do-not-contact."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import AuditEvent
from data_vault.importers.records import origin_mask
from data_vault.models import ContactEvent, DoNotContact, ImportJob, LadderChange, Person, Provenance, Tag
from data_vault.services import person_tag_add
from tests.data_vault.factories import ContactEventFactory, HouseholdFactory, PersonFactory


def _url(name: str, person: Person, **extra) -> str:
    return reverse(f"data_vault:{name}", kwargs={"chapter": person.chapter.slug, "pk": person.pk, **extra})


@pytest.fixture
def person(chapter):
    door = HouseholdFactory.create(chapter=chapter, house_number=41, street_name="PINE ST", precinct="07")
    PersonFactory.create(chapter=chapter, household=door, first_name="Rosa", last_name="Diaz")
    return PersonFactory.create(chapter=chapter, household=door, first_name="Luis", last_name="Diaz")


def test_person_page_shows_household_history_and_provenance(client, organizer, person, campaign):
    ContactEventFactory.create(chapter=person.chapter, person=person, campaign=campaign, notes="Wants a yard sign")
    Provenance.objects.create(person=person, action=Provenance.Action.CREATED, fields=["first_name"], source="nc.csv")
    client.force_login(organizer.user)
    body = client.get(_url("person_detail", person)).content.decode()
    assert "41 PINE ST" in body
    assert "Rosa Diaz" in body
    assert "Door: Talked" in body
    assert "Rent control 2026" in body
    assert "Wants a yard sign" in body
    assert "nc.csv" in body


def test_person_page_shows_the_import_that_created_the_person(client, organizer, person):
    job = ImportJob.objects.create(chapter=person.chapter, created_by=organizer.user, original_name="durham.txt")
    Person.objects.filter(pk=person.pk).update(origin_import=job, origin_fields=origin_mask(["last_name", "household"]))
    client.force_login(organizer.user)
    page = client.get(_url("person_detail", person))
    created = page.context["provenance"][-1]
    assert (created.action, created.source, created.fields) == ("created", "durham.txt", ["last_name", "household"])
    body = page.content.decode()
    assert "durham.txt" in body
    assert "last_name, household" in body


def _edit_form(client, person: Person, **changes) -> dict[str, str]:
    """Return the edit form as the page fills it, with some fields changed."""
    form = client.get(_url("person_edit", person)).context["form"]
    current = {name: form[name].value() for name in form.fields}
    return {name: "" if value is None else value for name, value in {**current, **changes}.items()}


def test_edit_is_audited_and_kept_in_provenance(client, organizer, person):
    client.force_login(organizer.user)
    response = client.post(
        _url("person_edit", person), _edit_form(client, person, last_name="Díaz-Ortiz", party="una", support_score="2")
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.last_name, person.party, person.support_score) == ("Díaz-Ortiz", "UNA", 2)
    assert "DÍAZ-ORTIZ" in person.search_text
    assert person.name_key == "DÍAZ-ORTIZ|LUIS"
    changed = ["last_name", "party", "support_score"]
    provenance = Provenance.objects.get(person=person, action=Provenance.Action.EDITED)
    assert sorted(provenance.fields) == changed
    audit = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE, target_id=str(person.pk))
    assert sorted(audit.details["fields"]) == changed


def test_edit_refusing_a_taken_voter_id_changes_nothing(client, organizer, person, chapter):
    PersonFactory.create(chapter=chapter, state_voter_id="NC999")
    client.force_login(organizer.user)
    response = client.post(
        _url("person_edit", person), _edit_form(client, person, first_name="X", state_voter_id="nc999")
    )
    assert response.status_code == 400
    person.refresh_from_db()
    assert person.first_name == "Luis"
    assert not Provenance.objects.filter(person=person).exists()


def test_organizer_logs_a_phone_call_by_hand(client, organizer, person, campaign):
    client.force_login(organizer.user)
    client.post(
        _url("person_contact_log", person),
        {"channel": "phone", "result": "contact", "campaign": campaign.pk, "notes": "Will volunteer Saturday"},
    )
    event = ContactEvent.objects.get(person=person)
    assert (event.channel, event.campaign, event.recorded_by) == ("phone", campaign, organizer.user)
    assert "Will volunteer Saturday" in client.get(_url("person_detail", person)).content.decode()


def test_a_contact_with_another_chapters_campaign_is_refused(client, organizer, person, other_chapter):
    from canvassing.models import Campaign

    theirs = Campaign.objects.create(chapter=other_chapter, name="Theirs", kind=Campaign.Kind.ISSUE)
    client.force_login(organizer.user)
    client.post(_url("person_contact_log", person), {"channel": "phone", "result": "contact", "campaign": theirs.pk})
    assert not ContactEvent.objects.exists()


def test_tags_ladder_and_do_not_contact_from_the_person_page(client, organizer, person):
    client.force_login(organizer.user)
    client.post(_url("person_tag_add", person), {"name": "  Block   captain "})
    tag = Tag.objects.get(chapter=person.chapter)
    assert tag.name == "Block captain"
    assert list(person.tags.all()) == [tag]
    client.post(_url("person_tag_remove", person, tag=tag.pk))
    assert not person.tags.exists()
    client.post(_url("person_ladder_set", person), {"level": "volunteer", "reason": "Signed up at the meeting"})
    person.refresh_from_db()
    assert person.ladder == "volunteer"
    assert LadderChange.objects.get(person=person).source == "Signed up at the meeting"
    timeline = client.get(person.get_absolute_url()).content.decode()
    step = timeline.index('<li class="timeline-ladder">')
    assert "<strong>Ladder: Unknown → Volunteer</strong> — Signed up at the meeting" in timeline[step:]
    assert f"by {organizer.user}" in timeline[step:].split("</li>")[0]
    client.post(_url("person_do_not_contact_set", person), {"channel": "text", "reason": "Asked us to stop"})
    entry = DoNotContact.objects.get(person=person)
    assert (entry.channel, entry.reason, entry.recorded_by) == ("text", "Asked us to stop", organizer.user)
    client.post(_url("person_do_not_contact_clear", person, channel="text"))
    assert not DoNotContact.objects.exists()
    assert AuditEvent.objects.filter(details__do_not_contact_cleared="text").exists()


def test_a_tag_of_another_chapter_cannot_be_removed(client, organizer, person, other_chapter, outsider):
    other = PersonFactory.create(chapter=other_chapter)
    tag = person_tag_add(person=other, tag_name="theirs", actor=outsider.user)
    client.force_login(organizer.user)
    assert client.post(_url("person_tag_remove", person, tag=tag.pk)).status_code == 404
    assert other.tags.count() == 1


@pytest.mark.parametrize("persona", ["captain", "canvasser", "member", "outsider"])
def test_people_pages_are_404_beyond_organizers(client, request, person, persona):
    client.force_login(request.getfixturevalue(persona).user)
    assert client.get(_url("person_detail", person)).status_code == 404
    assert client.post(_url("person_contact_log", person), {"channel": "phone", "result": "contact"}).status_code == 404
    assert not ContactEvent.objects.exists()


def test_organizer_adds_and_removes_phones_and_emails(client, organizer, person):
    client.force_login(organizer.user)
    client.post(_url("person_phone_add", person), {"number": "+1 (919) 555-0142 ext. 3", "kind": "cell"})
    client.post(_url("person_phone_add", person), {"number": "919-555-0142", "kind": "landline"})
    client.post(_url("person_phone_add", person), {"number": "555-01", "kind": "cell"})
    client.post(_url("person_email_add", person), {"address": " Luis@Example.ORG "})
    client.post(_url("person_email_add", person), {"address": "not an address"})
    assert list(person.phones.values_list("number", "kind")) == [("9195550142", "landline")]
    assert list(person.emails.values_list("address", flat=True)) == ["luis@example.org"]
    phone, email = person.phones.get(), person.emails.get()
    client.post(_url("person_phone_remove", person, phone=phone.pk))
    client.post(_url("person_email_remove", person, email=email.pk))
    assert not person.phones.exists()
    assert not person.emails.exists()
    assert AuditEvent.objects.filter(target_id=str(person.pk), details__phone_removed=True).exists()


def test_another_persons_phone_cannot_be_removed_through_this_one(client, organizer, person, chapter):
    from data_vault.models import Phone

    other = PersonFactory.create(chapter=chapter)
    phone = Phone.objects.create(person=other, number="9195550100")
    client.force_login(organizer.user)
    assert client.post(_url("person_phone_remove", person, phone=phone.pk)).status_code == 404
    assert Phone.objects.filter(pk=phone.pk).exists()
