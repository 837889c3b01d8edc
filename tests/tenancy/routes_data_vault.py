"""Tenancy walk entries for the vault's people, lists, exports and sharing routes."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from data_vault.models import Email, ExportJob, Phone, SharingAgreement
from data_vault.services import person_tag_add
from tests.data_vault.factories import PersonFactory, SavedListFactory
from tests.factories import ChapterFactory
from tests.tenancy.registry import Route, Scoped


def build(w: SimpleNamespace) -> None:
    """Give chapter A two people, a saved list and a contact event."""
    w.person = PersonFactory.create(chapter=w.chapter, first_name="Ada", last_name="Walker")
    w.other_person = PersonFactory.create(chapter=w.chapter, first_name="Ada", last_name="Walkerr")
    w.phone = Phone.objects.create(person=w.person, number="9195550100", kind=Phone.Kind.CELL)
    w.email = Email.objects.create(person=w.person, address="ada@example.org")
    w.tag = person_tag_add(person=w.person, tag_name="alpha tag", actor=w.organizer.user)
    w.saved_list = SavedListFactory.create(chapter=w.chapter, name="Alpha universe", filters={"precinct": ["01"]})
    # A third chapter of the statewide table: A shares with it, and it shares with A.
    w.table_partner = ChapterFactory.create(name="Gamma Socialists", slug="gamma", state=w.chapter.state)
    # Made directly: the committee's walk entries form the state's table after this build.
    w.agreement_given = SharingAgreement.objects.create(
        chapter=w.chapter, partner=w.table_partner, saved_list=w.saved_list, purpose="NC table"
    )
    partner_list = SavedListFactory.create(chapter=w.table_partner, name="Gamma universe")
    w.agreement_received = SharingAgreement.objects.create(
        chapter=w.table_partner, partner=w.chapter, saved_list=partner_list
    )
    w.list_export = ExportJob.objects.create(
        chapter=w.chapter, kind=ExportJob.Kind.LIST, saved_list=w.saved_list, status=ExportJob.Status.DONE
    )


def _chapter(w: SimpleNamespace) -> dict[str, Any]:
    return {"chapter": w.chapter.slug}


def _list(w: SimpleNamespace) -> dict[str, Any]:
    return {"chapter": w.chapter.slug, "pk": w.saved_list.pk}


def _export(w: SimpleNamespace) -> dict[str, Any]:
    return {"chapter": w.chapter.slug, "pk": w.list_export.pk}


def _person(w: SimpleNamespace) -> dict[str, Any]:
    return {"chapter": w.chapter.slug, "pk": w.person.pk}


ROUTES: dict[str, Route] = {
    "data_vault:person_list_tag": Scoped(_chapter, methods=("POST",)),
    "data_vault:person_detail": Scoped(_person),
    "data_vault:person_merge": Scoped(_person, methods=("GET", "POST")),
    "data_vault:person_erase": Scoped(_person, methods=("GET", "POST")),
    "data_vault:person_edit": Scoped(_person, methods=("GET", "POST")),
    "data_vault:person_household_move": Scoped(_person, methods=("GET", "POST")),
    "data_vault:person_contact_log": Scoped(_person, methods=("POST",)),
    "data_vault:person_tag_add": Scoped(_person, methods=("POST",)),
    "data_vault:person_tag_remove": Scoped(lambda w: {**_person(w), "tag": w.tag.pk}, methods=("POST",)),
    "data_vault:person_ladder_set": Scoped(_person, methods=("POST",)),
    "data_vault:person_phone_add": Scoped(_person, methods=("POST",)),
    "data_vault:person_phone_remove": Scoped(lambda w: {**_person(w), "phone": w.phone.pk}, methods=("POST",)),
    "data_vault:person_email_add": Scoped(_person, methods=("POST",)),
    "data_vault:person_email_remove": Scoped(lambda w: {**_person(w), "email": w.email.pk}, methods=("POST",)),
    "data_vault:person_do_not_contact_set": Scoped(_person, methods=("POST",)),
    "data_vault:person_do_not_contact_clear": Scoped(lambda w: {**_person(w), "channel": "phone"}, methods=("POST",)),
    "data_vault:person_list": Scoped(_chapter),
    "data_vault:saved_list_list": Scoped(_chapter),
    "data_vault:saved_list_create": Scoped(_chapter, methods=("POST",)),
    "data_vault:saved_list_detail": Scoped(_list),
    "data_vault:saved_list_count": Scoped(_list),
    "data_vault:saved_list_edit": Scoped(_list, methods=("GET", "POST")),
    "data_vault:saved_list_delete": Scoped(_list, methods=("POST",)),
    "data_vault:saved_list_tag": Scoped(_list, methods=("POST",)),
    "data_vault:saved_list_export": Scoped(_list, methods=("POST",)),
    "data_vault:person_list_export": Scoped(_chapter, methods=("POST",)),
    "data_vault:saved_list_share": Scoped(_list, methods=("GET", "POST")),
    "data_vault:sharing_list": Scoped(_chapter),
    "data_vault:sharing_agreement_revoke": Scoped(
        lambda w: {**_chapter(w), "pk": w.agreement_given.pk}, methods=("POST",)
    ),
    "data_vault:shared_list_detail": Scoped(lambda w: {**_chapter(w), "pk": w.agreement_received.pk}),
    "api:person_list": Scoped(_chapter),
    "api:person_detail": Scoped(_person),
    "api:contact_event_list": Scoped(_chapter, methods=("GET", "POST")),
    "api:saved_list_list": Scoped(_chapter, methods=("GET", "POST")),
    "api:saved_list_detail": Scoped(_list, methods=("GET", "PATCH", "DELETE")),
    "api:saved_list_people": Scoped(_list),
    "data_vault:list_export_detail": Scoped(_export),
    "data_vault:list_export_progress": Scoped(_export),
    "data_vault:list_export_download": Scoped(_export),
}
