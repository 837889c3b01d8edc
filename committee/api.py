"""API of the committee app: the public roster and reports, trainings, and a chapter's own requests for help."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from chapters.selectors import membership_get_for_user
from committee import permissions, selectors
from committee.models import AssistanceRequest, Report, Seat, Subcommittee, Training


class SeatSerializer(serializers.ModelSerializer[Seat]):
    name = serializers.CharField(source="holder.name")
    chapter = serializers.CharField(source="chapter.name")
    role = serializers.SerializerMethodField()
    email = serializers.EmailField(source="public_email")

    class Meta:
        model = Seat
        fields = ["name", "chapter", "role", "email"]

    def get_role(self, seat: Seat) -> str:
        return "NEC co-chair" if seat.is_cochair else "NEC member"


class SubcommitteeSerializer(serializers.ModelSerializer[Subcommittee]):
    members = serializers.SerializerMethodField()

    class Meta:
        model = Subcommittee
        fields = ["name", "kind", "members"]

    def get_members(self, subcommittee: Subcommittee) -> list[dict[str, Any]]:
        return [
            {"name": m.seat.holder.name, "chapter": m.seat.chapter.name, "cochair": m.cochair_slot is not None}
            for m in subcommittee.members.all()
        ]


class RosterApi(APIView):
    """Show the NEC's published roster: names, chapters, roles and contact emails."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        roster = selectors.public_roster()
        if roster.term is None:
            return Response({"term": None, "members": [], "subcommittees": []})
        return Response(
            {
                "term": {
                    "name": roster.term.name,
                    "starts_on": roster.term.starts_on,
                    "ends_on": roster.term.ends_on,
                },
                "members": SeatSerializer(roster.seats, many=True).data,
                "subcommittees": SubcommitteeSerializer(roster.subcommittees, many=True).data,
            }
        )


class ReportSerializer(serializers.ModelSerializer[Report]):
    url = serializers.CharField(source="get_public_url")
    sections = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = ["slug", "title", "period_start", "period_end", "published_at", "url", "figures", "sections"]

    def get_sections(self, report: Report) -> list[dict[str, str]]:
        return [{"heading": s.heading, "body": s.body} for s in report.sections.all()]


class ReportListApi(generics.ListAPIView[Report]):
    """List the published reports to the NPC, with their figures (aggregates only)."""

    permission_classes = [AllowAny]
    serializer_class = ReportSerializer

    def get_queryset(self) -> QuerySet[Report]:
        return selectors.public_report_list().prefetch_related("sections")


class ReportDetailApi(generics.RetrieveAPIView[Report]):
    """Show one published report by its permanent slug."""

    permission_classes = [AllowAny]
    serializer_class = ReportSerializer

    def get_object(self) -> Report:
        return selectors.public_report_get(slug=self.kwargs["slug"])


class TrainingSerializer(serializers.ModelSerializer[Training]):
    host = serializers.CharField(source="host_name")
    places_taken = serializers.IntegerField(source="signup_count")
    signed_up = serializers.BooleanField()

    class Meta:
        model = Training
        fields = ["id", "title", "description", "host", "starts_at", "format", "location", "capacity"]
        fields += ["places_taken", "signed_up"]


class TrainingListApi(generics.ListAPIView[Training]):
    """List upcoming trainings, open to members of every chapter."""

    serializer_class = TrainingSerializer

    def get_queryset(self) -> QuerySet[Training]:
        return selectors.training_list(user=self.request.user)  # type: ignore[arg-type]


class AssistanceRequestSerializer(serializers.ModelSerializer[AssistanceRequest]):
    subcommittee = serializers.CharField(source="subcommittee.name", default=None)
    comments = serializers.SerializerMethodField()

    class Meta:
        model = AssistanceRequest
        fields = ["id", "kind", "description", "urgency", "status", "subcommittee", "created_at", "closed_at"]
        fields += ["comments"]

    def get_comments(self, request: AssistanceRequest) -> list[dict[str, Any]]:
        return [{"from_nec": c.from_nec, "body": c.body, "created_at": c.created_at} for c in request.comments.all()]


class AssistanceRequestListApi(generics.ListAPIView[AssistanceRequest]):
    """List the chapter's own requests for help, with the conversation on each."""

    serializer_class = AssistanceRequestSerializer

    def get_queryset(self) -> QuerySet[AssistanceRequest]:
        membership = membership_get_for_user(
            user=self.request.user,  # type: ignore[arg-type]
            chapter_slug=self.kwargs["chapter"],
            rule=permissions.VIEW_ASSISTANCE_REQUESTS,
        )
        return selectors.request_list(chapter=membership.chapter).prefetch_related("comments")


class AssistanceRequestDetailApi(generics.RetrieveAPIView[AssistanceRequest]):
    """Show one of the chapter's requests for help."""

    serializer_class = AssistanceRequestSerializer

    def get_object(self) -> AssistanceRequest:
        _, request = selectors.request_get_for_user(
            user=self.request.user,  # type: ignore[arg-type]
            chapter_slug=self.kwargs["chapter"],
            pk=self.kwargs["pk"],
        )
        return request


urlpatterns = [
    path("committee/roster/", RosterApi.as_view(), name="committee_roster"),
    path("committee/reports/", ReportListApi.as_view(), name="committee_report_list"),
    path("committee/reports/<slug:slug>/", ReportDetailApi.as_view(), name="committee_report_detail"),
    path("committee/trainings/", TrainingListApi.as_view(), name="committee_training_list"),
    path(
        "chapters/<slug:chapter>/assistance-requests/",
        AssistanceRequestListApi.as_view(),
        name="committee_request_list",
    ),
    path(
        "chapters/<slug:chapter>/assistance-requests/<int:pk>/",
        AssistanceRequestDetailApi.as_view(),
        name="committee_request_detail",
    ),
]
