"""API for people, contact events and saved lists, under /api/v1/chapters/<chapter>/."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from canvassing.models import Campaign
from chapters.models import Membership
from chapters.selectors import membership_get_for_user
from core.permissions import Rule
from data_vault import permissions, selectors, services
from data_vault.filters import people_filter_parse, people_filter_query
from data_vault.models import Channel, ContactEvent, Household, Person, SavedList


def _membership(request: Request, chapter: str, rule: Rule = permissions.VIEW_PEOPLE) -> Membership:
    return membership_get_for_user(user=request.user, chapter_slug=chapter, rule=rule)  # type: ignore[arg-type]


class HouseholdSerializer(serializers.ModelSerializer[Household]):
    class Meta:
        model = Household
        fields = ["id", "address_line", "house_number", "street_name", "unit", "city", "state", "zip5", "precinct"]


class PersonSerializer(serializers.ModelSerializer[Person]):
    household = HouseholdSerializer(read_only=True)
    tags = serializers.SerializerMethodField()
    phones = serializers.SerializerMethodField()
    do_not_contact = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id", "state_voter_id", "first_name", "middle_name", "last_name", "name_suffix", "birth_year", "gender",
            "party", "registration_status", "precinct", "ladder", "support_score", "household", "tags", "phones",
            "do_not_contact",
        ]  # fmt: skip

    def get_tags(self, person: Person) -> list[str]:
        return [tag.name for tag in person.tags.all()]

    def get_phones(self, person: Person) -> list[dict[str, str]]:
        return [{"number": phone.number, "kind": phone.kind} for phone in person.phones.all()]

    def get_do_not_contact(self, person: Person) -> list[dict[str, str]]:
        return [
            {"channel": entry.channel, "reason": entry.reason, "recorded_on": entry.recorded_on.isoformat()}
            for entry in person.do_not_contact.all()
        ]


class PersonDetailSerializer(PersonSerializer):
    emails = serializers.SerializerMethodField()

    class Meta(PersonSerializer.Meta):
        fields = [
            *PersonSerializer.Meta.fields, "birth_date", "registration_date", "county", "congressional_district",
            "state_senate_district", "state_house_district", "municipality", "ward", "notes", "emails",
            "created_at", "updated_at",
        ]  # fmt: skip

    def get_emails(self, person: Person) -> list[str]:
        return [email.address for email in person.emails.all()]


FILTER_PARAMETERS = [
    OpenApiParameter(name, description=label, required=False, many=name not in ("q",))
    for name, label in selectors.FILTER_LABELS.items()
]


@extend_schema(parameters=FILTER_PARAMETERS)
class PersonListApi(generics.ListAPIView[Person]):
    """List the chapter's people, filtered as the people page filters (organizers and chairs)."""

    serializer_class = PersonSerializer

    def get_queryset(self) -> QuerySet[Person]:
        membership = _membership(self.request, self.kwargs["chapter"])
        filters = people_filter_parse(people_filter_query(self.request.query_params))
        return selectors.person_list(chapter=membership.chapter, filters=filters)


class PersonDetailApi(generics.RetrieveAPIView[Person]):
    """Show one of the chapter's people."""

    serializer_class = PersonDetailSerializer

    def get_object(self) -> Person:
        membership = _membership(self.request, self.kwargs["chapter"])
        return selectors.person_get(chapter=membership.chapter, pk=self.kwargs["pk"])


class ContactEventSerializer(serializers.ModelSerializer[ContactEvent]):
    person = serializers.IntegerField(source="person_id", required=False, allow_null=True)
    household = serializers.IntegerField(source="household_id", required=False, allow_null=True)
    campaign = serializers.IntegerField(source="campaign_id", required=False, allow_null=True)
    channel = serializers.ChoiceField(choices=Channel.choices)
    result = serializers.ChoiceField(choices=ContactEvent.Result.choices)
    answers = serializers.DictField(required=False)
    client_uuid = serializers.UUIDField(required=False, allow_null=True)

    class Meta:
        model = ContactEvent
        fields = [
            "id", "person", "household", "campaign", "channel", "result", "answers", "notes", "occurred_at",
            "client_uuid", "created_at",
        ]  # fmt: skip
        read_only_fields = ["id", "created_at"]
        extra_kwargs = {"occurred_at": {"required": False}, "notes": {"required": False}}


@extend_schema(
    summary="List contact events, or record one (idempotent on client_uuid)",
    responses={200: ContactEventSerializer, 201: ContactEventSerializer},
)
class ContactEventListApi(generics.ListCreateAPIView[ContactEvent]):
    """
    List the chapter's contact history, newest first, or record a contact.

    Sending the same ``client_uuid`` again returns the event already recorded
    with status 200 and changes nothing; a new event answers 201.
    """

    serializer_class = ContactEventSerializer

    def get_queryset(self) -> QuerySet[ContactEvent]:
        membership = _membership(self.request, self.kwargs["chapter"])
        events = selectors.contact_event_list(chapter=membership.chapter)
        person = self.request.query_params.get("person", "")
        return events.filter(person_id=int(person)) if person.isdigit() else events

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        membership = _membership(request, kwargs["chapter"], permissions.LOG_CONTACT)
        chapter = membership.chapter
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        person_id, household_id, campaign_id = data.get("person_id"), data.get("household_id"), data.get("campaign_id")
        event, created = services.contact_event_record(
            chapter=chapter,
            recorded_by=request.user,  # type: ignore[arg-type]
            channel=data["channel"],
            result=data["result"],
            person=selectors.person_get(chapter=chapter, pk=person_id) if person_id else None,
            household=selectors.household_get(chapter=chapter, pk=household_id) if household_id else None,
            campaign=get_object_or_404(Campaign, chapter=chapter, pk=campaign_id) if campaign_id else None,
            answers=data.get("answers"),
            notes=data.get("notes", ""),
            occurred_at=data.get("occurred_at"),
            client_uuid=data.get("client_uuid"),
        )
        return Response(
            self.get_serializer(event).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class SavedListSerializer(serializers.ModelSerializer[SavedList]):
    filters = serializers.DictField(required=False)

    class Meta:
        model = SavedList
        fields = ["id", "name", "description", "filters", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = {"description": {"required": False}}


class SavedListListApi(generics.ListCreateAPIView[SavedList]):
    """List the chapter's saved lists, or save a people filter as a new one."""

    serializer_class = SavedListSerializer

    def get_queryset(self) -> QuerySet[SavedList]:
        return selectors.saved_list_list(chapter=_membership(self.request, self.kwargs["chapter"]).chapter)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        membership = _membership(request, kwargs["chapter"], permissions.MANAGE_LISTS)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        saved_list = services.saved_list_create(
            chapter=membership.chapter,
            name=serializer.validated_data["name"],
            description=serializer.validated_data.get("description", ""),
            filters=serializer.validated_data.get("filters", {}),
            actor=request.user,  # type: ignore[arg-type]
        )
        return Response(self.get_serializer(saved_list).data, status=status.HTTP_201_CREATED)


class SavedListDetailApi(generics.RetrieveUpdateDestroyAPIView[SavedList]):
    """Show, change or delete one of the chapter's saved lists."""

    serializer_class = SavedListSerializer

    def get_object(self) -> SavedList:
        rule = permissions.VIEW_PEOPLE if self.request.method == "GET" else permissions.MANAGE_LISTS
        membership = _membership(self.request, self.kwargs["chapter"], rule)
        return selectors.saved_list_get(chapter=membership.chapter, pk=self.kwargs["pk"])

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        saved_list = self.get_object()
        serializer = self.get_serializer(saved_list, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.saved_list_update(
            saved_list=saved_list,
            actor=request.user,  # type: ignore[arg-type]
            name=serializer.validated_data.get("name"),
            description=serializer.validated_data.get("description"),
            filters=serializer.validated_data.get("filters"),
        )
        return Response(self.get_serializer(saved_list).data)

    def perform_destroy(self, instance: SavedList) -> None:
        services.saved_list_delete(saved_list=instance, actor=self.request.user)  # type: ignore[arg-type]


class SavedListPeopleApi(generics.ListAPIView[Person]):
    """List the people a saved list holds now."""

    serializer_class = PersonSerializer

    def get_queryset(self) -> QuerySet[Person]:
        membership = _membership(self.request, self.kwargs["chapter"])
        saved_list = selectors.saved_list_get(chapter=membership.chapter, pk=self.kwargs["pk"])
        return selectors.person_list(chapter=membership.chapter, filters=saved_list.filters)


C = "chapters/<slug:chapter>/"

urlpatterns = [
    path(f"{C}people/", PersonListApi.as_view(), name="person_list"),
    path(f"{C}people/<int:pk>/", PersonDetailApi.as_view(), name="person_detail"),
    path(f"{C}contact-events/", ContactEventListApi.as_view(), name="contact_event_list"),
    path(f"{C}lists/", SavedListListApi.as_view(), name="saved_list_list"),
    path(f"{C}lists/<int:pk>/", SavedListDetailApi.as_view(), name="saved_list_detail"),
    path(f"{C}lists/<int:pk>/people/", SavedListPeopleApi.as_view(), name="saved_list_people"),
]
