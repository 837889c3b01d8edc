"""API of the field operation: campaigns, turfs and their doors, shifts, and door results from phones."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from canvassing import permissions, selectors, services
from canvassing.models import DOOR_RESULTS, Campaign, DoorVisit, Shift, Turf, TurfAssignment, TurfDoor
from chapters.selectors import membership_get_for_user


class CampaignSerializer(serializers.ModelSerializer[Campaign]):
    class Meta:
        model = Campaign
        fields = ["id", "name", "kind", "status", "description", "starts_on", "ends_on", "door_goal", "contact_goal"]


class TurfSerializer(serializers.ModelSerializer[Turf]):
    door_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Turf
        fields = ["id", "campaign", "name", "precinct", "code", "revision", "door_count"]


class PersonOnDoorSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField(source="full_name")
    party = serializers.CharField()
    birth_year = serializers.IntegerField(allow_null=True)


class DoorSerializer(serializers.ModelSerializer[TurfDoor]):
    household_id = serializers.IntegerField()
    address = serializers.CharField(source="household.street_line")
    precinct = serializers.CharField(source="household.precinct")
    latitude = serializers.FloatField(source="household.latitude", allow_null=True)
    longitude = serializers.FloatField(source="household.longitude", allow_null=True)
    people = PersonOnDoorSerializer(source="household.door_people", many=True)

    class Meta:
        model = TurfDoor
        fields = ["position", "household_id", "address", "precinct", "latitude", "longitude", "people"]


class ShiftSerializer(serializers.ModelSerializer[Shift]):
    signup_count = serializers.IntegerField(read_only=True)
    captain = serializers.CharField(source="captain.user.email", allow_null=True, default=None)

    class Meta:
        model = Shift
        fields = ["id", "campaign", "starts_at", "ends_at", "place", "capacity", "signup_count", "captain"]


class DoorResultInSerializer(serializers.Serializer[Any]):
    client_uuid = serializers.UUIDField()
    household_id = serializers.IntegerField()
    result = serializers.ChoiceField(choices=[r.value for r in DOOR_RESULTS])
    person_id = serializers.IntegerField(required=False, allow_null=True)
    answers = serializers.DictField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    occurred_at = serializers.DateTimeField(required=False)


class DoorResultOutSerializer(serializers.ModelSerializer[DoorVisit]):
    class Meta:
        model = DoorVisit
        fields = ["id", "client_uuid", "household", "person", "result", "answers", "occurred_at"]


def _membership(request: Request, chapter: str, rule: Any) -> Any:
    return membership_get_for_user(user=request.user, chapter_slug=chapter, rule=rule)  # type: ignore[arg-type]


class CampaignListApi(generics.ListAPIView[Campaign]):
    """List a chapter's campaigns (captains and up)."""

    serializer_class = CampaignSerializer

    def get_queryset(self) -> QuerySet[Campaign]:
        membership = _membership(self.request, self.kwargs["chapter"], permissions.VIEW_CAMPAIGNS)
        return selectors.campaign_list(chapter=membership.chapter).order_by("-starts_on", "name", "id")


class CampaignDetailApi(generics.RetrieveAPIView[Campaign]):
    """Show one campaign."""

    serializer_class = CampaignSerializer

    def get_object(self) -> Campaign:
        membership = _membership(self.request, self.kwargs["chapter"], permissions.VIEW_CAMPAIGNS)
        return selectors.campaign_get(chapter=membership.chapter, pk=self.kwargs["pk"])


class TurfListApi(generics.ListAPIView[Turf]):
    """List a campaign's turfs with their door counts."""

    serializer_class = TurfSerializer

    def get_queryset(self) -> QuerySet[Turf]:
        membership = _membership(self.request, self.kwargs["chapter"], permissions.VIEW_CAMPAIGNS)
        campaign = selectors.campaign_get(chapter=membership.chapter, pk=self.kwargs["pk"])
        return selectors.turf_list(campaign=campaign)


class TurfDoorListApi(generics.ListAPIView[TurfDoor]):
    """List a turf's doors in walking order, with the people to knock for; canvassers only on their turf."""

    serializer_class = DoorSerializer

    def get_queryset(self) -> QuerySet[TurfDoor]:
        _, turf = selectors.turf_get_for_canvasser(
            user=self.request.user,  # type: ignore[arg-type]
            chapter_slug=self.kwargs["chapter"],
            pk=self.kwargs["pk"],
        )
        return selectors.turf_doors(turf=turf)


class ShiftListApi(generics.ListAPIView[Shift]):
    """List a campaign's shifts."""

    serializer_class = ShiftSerializer

    def get_queryset(self) -> QuerySet[Shift]:
        membership = _membership(self.request, self.kwargs["chapter"], permissions.VIEW_CAMPAIGNS)
        campaign = selectors.campaign_get(chapter=membership.chapter, pk=self.kwargs["pk"])
        return selectors.shift_list(campaign=campaign)


class DoorResultSubmitApi(APIView):
    """
    Record one door's result from a phone.

    Idempotent on ``client_uuid``: the first send answers 201, a re-send 200
    with the same result, and nothing is recorded twice.
    """

    @extend_schema(
        request=DoorResultInSerializer, responses={200: DoorResultOutSerializer, 201: DoorResultOutSerializer}
    )
    def post(self, request: Request, chapter: str, pk: int) -> Response:
        membership, turf = selectors.turf_get_for_canvasser(user=request.user, chapter_slug=chapter, pk=pk)  # type: ignore[arg-type]
        incoming = DoorResultInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        fields = dict(incoming.validated_data)
        assignment = (
            TurfAssignment.objects.filter(turf=turf, canvasser=membership, ended_at__isnull=True).first()
            or TurfAssignment.objects.filter(turf=turf, partner=membership, ended_at__isnull=True).first()
        )
        visit, created = services.door_result_record(
            turf=turf,
            recorded_by=request.user,  # type: ignore[arg-type]
            shift=assignment.shift if assignment else None,
            **fields,
        )
        return Response(
            DoorResultOutSerializer(visit).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


P = "chapters/<slug:chapter>/canvass/"
urlpatterns = [
    path(P + "campaigns/", CampaignListApi.as_view(), name="canvass_campaign_list"),
    path(P + "campaigns/<int:pk>/", CampaignDetailApi.as_view(), name="canvass_campaign_detail"),
    path(P + "campaigns/<int:pk>/turfs/", TurfListApi.as_view(), name="canvass_turf_list"),
    path(P + "campaigns/<int:pk>/shifts/", ShiftListApi.as_view(), name="canvass_shift_list"),
    path(P + "turfs/<int:pk>/doors/", TurfDoorListApi.as_view(), name="canvass_turf_doors"),
    path(P + "turfs/<int:pk>/results/", DoorResultSubmitApi.as_view(), name="canvass_result_submit"),
]
