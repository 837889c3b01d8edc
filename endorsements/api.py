"""API for endorsements: scoped reads of races, candidates and endorsements, and the NEC and NPC actions."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from chapters.selectors import membership_get_for_user
from core.models import User
from core.permissions import require
from endorsements import permissions, selectors, services
from endorsements.models import (
    Candidate,
    Endorsement,
    NationalRequest,
    NecReviewerAssignment,
    NpcDecision,
    Race,
    StatusChange,
)
from endorsements.models.national import Recommendation


class RaceSerializer(serializers.ModelSerializer[Race]):
    class Meta:
        model = Race
        fields = [
            "id",
            "jurisdiction",
            "office",
            "level",
            "district",
            "election_type",
            "election_date",
            "filing_deadline",
        ]


class CandidateSerializer(serializers.ModelSerializer[Candidate]):
    class Meta:
        model = Candidate
        fields = ["id", "name", "email", "phone", "website", "is_incumbent", "ballot_line", "is_member"]


class StatusChangeSerializer(serializers.ModelSerializer[StatusChange]):
    from_status = serializers.CharField(help_text="The endorsement status before the move; empty when it started.")
    to_status = serializers.CharField(help_text="The endorsement status after the move.")

    class Meta:
        model = StatusChange
        fields = ["from_status", "to_status", "actor_label", "reason", "created_at"]


class EndorsementSerializer(serializers.ModelSerializer[Endorsement]):
    race = RaceSerializer()
    candidate = CandidateSerializer()

    class Meta:
        model = Endorsement
        fields = ["id", "race", "candidate", "status", "version", "is_public", "created_at", "updated_at"]


class EndorsementDetailSerializer(EndorsementSerializer):
    timeline = StatusChangeSerializer(many=True)

    class Meta(EndorsementSerializer.Meta):
        fields = [*EndorsementSerializer.Meta.fields, "public_statement", "public_note", "timeline"]


class AssignmentSerializer(serializers.ModelSerializer[NecReviewerAssignment]):
    reviewer = serializers.EmailField(source="reviewer.email")

    class Meta:
        model = NecReviewerAssignment
        fields = ["reviewer", "recommendation", "rationale", "recommended_at"]


class NationalRequestSerializer(serializers.ModelSerializer[NationalRequest]):
    chapter = serializers.CharField(source="endorsement.chapter.slug")
    candidate = serializers.CharField(source="endorsement.candidate.name")
    race = serializers.CharField(source="endorsement.race.__str__")
    election_date = serializers.DateField(source="endorsement.race.election_date")
    status = serializers.CharField(source="endorsement.status")
    version = serializers.IntegerField(source="endorsement.version")

    class Meta:
        model = NationalRequest
        fields = [
            "id",
            "chapter",
            "candidate",
            "race",
            "election_date",
            "status",
            "version",
            "local_request",
            "submitted_at",
            "deadline",
            "is_late",
        ]


class NationalRequestDetailSerializer(NationalRequestSerializer):
    assignments = AssignmentSerializer(many=True)

    class Meta(NationalRequestSerializer.Meta):
        fields = [*NationalRequestSerializer.Meta.fields, "assignments"]


def _chapter(view: Any, rule: Any = permissions.VIEW_ENDORSEMENTS) -> Any:
    return membership_get_for_user(user=view.request.user, chapter_slug=view.kwargs["chapter"], rule=rule).chapter


class RaceListApi(generics.ListAPIView[Race]):
    """List a chapter's races."""

    serializer_class = RaceSerializer

    def get_queryset(self) -> QuerySet[Race]:
        return selectors.race_list(chapter=_chapter(self))


class RaceDetailApi(generics.RetrieveAPIView[Race]):
    """Show one of a chapter's races."""

    serializer_class = RaceSerializer

    def get_object(self) -> Race:
        return selectors.race_get(chapter=_chapter(self), pk=self.kwargs["pk"])


class CandidateListApi(generics.ListAPIView[Candidate]):
    """List a chapter's candidates."""

    serializer_class = CandidateSerializer

    def get_queryset(self) -> QuerySet[Candidate]:
        return selectors.candidate_list(chapter=_chapter(self))


class CandidateDetailApi(generics.RetrieveAPIView[Candidate]):
    """Show one of a chapter's candidates."""

    serializer_class = CandidateSerializer

    def get_object(self) -> Candidate:
        return selectors.candidate_get(chapter=_chapter(self), pk=self.kwargs["pk"])


@extend_schema(summary="List a chapter's endorsements; filter with ?status=")
class EndorsementListApi(generics.ListAPIView[Endorsement]):
    """List a chapter's endorsements with their race, candidate and status."""

    serializer_class = EndorsementSerializer

    def get_queryset(self) -> QuerySet[Endorsement]:
        return selectors.endorsement_list(chapter=_chapter(self), status=self.request.query_params.get("status"))


class EndorsementDetailApi(generics.RetrieveAPIView[Endorsement]):
    """Show one endorsement with its timeline."""

    serializer_class = EndorsementDetailSerializer

    def get_object(self) -> Endorsement:
        return selectors.endorsement_get(chapter=_chapter(self), pk=self.kwargs["pk"])


@extend_schema(summary="List submitted national requests (NEC and NPC members)")
class NationalRequestListApi(generics.ListAPIView[NationalRequest]):
    """List the national requests your national role may see; never a chapter's drafts."""

    serializer_class = NationalRequestSerializer

    def get_queryset(self) -> QuerySet[NationalRequest]:
        return selectors.national_request_list_for_user(
            user=self.request.user,  # type: ignore[arg-type]
            status=self.request.query_params.get("status"),
        ).order_by("submitted_at")


class NationalRequestDetailApi(generics.RetrieveAPIView[NationalRequest]):
    """Show one national request with its reviewers and their recommendations."""

    serializer_class = NationalRequestDetailSerializer

    def get_object(self) -> NationalRequest:
        return selectors.national_request_get_for_user(user=self.request.user, pk=self.kwargs["pk"])  # type: ignore[arg-type]


class _NationalActionApi(APIView):
    """A POST on one national request, answered with the request as it now stands."""

    rule = permissions.NEC_REVIEW
    input_serializer: type[serializers.Serializer[Any]]

    def act(self, national_request: NationalRequest, user: User, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> Response:
        user: User = request.user  # type: ignore[assignment]
        require(self.rule, user)
        national_request = selectors.national_request_get_for_user(user=user, pk=pk)
        serializer = self.input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.act(national_request, user, serializer.validated_data)
        fresh = selectors.national_request_get_for_user(user=user, pk=pk)
        return Response(NationalRequestDetailSerializer(fresh).data, status=status.HTTP_200_OK)


class AssignInput(serializers.Serializer[Any]):
    reviewers = serializers.ListField(child=serializers.EmailField(), allow_empty=False)


@extend_schema(request=AssignInput, responses=NationalRequestDetailSerializer)
class NecAssignApi(_NationalActionApi):
    """Assign NEC reviewers by email (NEC co-chairs)."""

    rule = permissions.NEC_CHAIR
    input_serializer = AssignInput

    def act(self, national_request: NationalRequest, user: User, data: dict[str, Any]) -> None:
        emails = {email.lower() for email in data["reviewers"]}
        reviewers = list(selectors.nec_reviewer_choices().filter(email__in=emails))
        missing = emails - {r.email.lower() for r in reviewers}
        if missing:
            raise serializers.ValidationError({"reviewers": f"Not NEC members: {', '.join(sorted(missing))}."})
        services.nec_reviewers_assign(national_request=national_request, reviewers=reviewers, actor=user)


class CommentInput(serializers.Serializer[Any]):
    body = serializers.CharField(max_length=5000)


@extend_schema(request=CommentInput, responses=NationalRequestDetailSerializer)
class NecCommentApi(_NationalActionApi):
    """Add a reviewer's comment (NEC members)."""

    input_serializer = CommentInput

    def act(self, national_request: NationalRequest, user: User, data: dict[str, Any]) -> None:
        services.nec_comment_add(national_request=national_request, author=user, body=data["body"])


class RecommendationInput(serializers.Serializer[Any]):
    recommendation = serializers.ChoiceField(choices=Recommendation.choices)
    rationale = serializers.CharField(max_length=5000)


@extend_schema(request=RecommendationInput, responses=NationalRequestDetailSerializer)
class NecRecommendApi(_NationalActionApi):
    """Record your recommendation as an assigned reviewer."""

    input_serializer = RecommendationInput

    def act(self, national_request: NationalRequest, user: User, data: dict[str, Any]) -> None:
        services.nec_recommendation_record(national_request=national_request, reviewer=user, **data)


class NecVoteInput(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    yes = serializers.IntegerField(min_value=0)
    no = serializers.IntegerField(min_value=0)
    abstain = serializers.IntegerField(min_value=0, default=0)
    note = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema(request=NecVoteInput, responses=NationalRequestDetailSerializer)
class NecVoteApi(_NationalActionApi):
    """Record the NEC's vote (NEC co-chairs); send the version you read."""

    rule = permissions.NEC_CHAIR
    input_serializer = NecVoteInput

    def act(self, national_request: NationalRequest, user: User, data: dict[str, Any]) -> None:
        services.nec_vote_record(
            national_request=national_request,
            yes=data["yes"],
            no=data["no"],
            abstain=data["abstain"],
            note=data["note"],
            actor=user,
            expected_version=data["version"],
        )


class NpcDecisionInput(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    decision = serializers.ChoiceField(choices=NpcDecision.Decision.choices)
    yes = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)
    no = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)
    abstain = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema(request=NpcDecisionInput, responses=NationalRequestDetailSerializer)
class NpcDecisionApi(_NationalActionApi):
    """Ratify the NEC's decision, or overrule it with the full NPC vote (NPC members)."""

    rule = permissions.NPC_DECIDE
    input_serializer = NpcDecisionInput

    def act(self, national_request: NationalRequest, user: User, data: dict[str, Any]) -> None:
        services.npc_decision_record(
            national_request=national_request,
            decision=data["decision"],
            actor=user,
            expected_version=data["version"],
            note=data["note"],
            yes=data["yes"],
            no=data["no"],
            abstain=data["abstain"],
        )


_C = "chapters/<slug:chapter>/"
_N = "national/endorsement-requests/<int:pk>/"

urlpatterns = [
    path(_C + "races/", RaceListApi.as_view(), name="race_list"),
    path(_C + "races/<int:pk>/", RaceDetailApi.as_view(), name="race_detail"),
    path(_C + "candidates/", CandidateListApi.as_view(), name="candidate_list"),
    path(_C + "candidates/<int:pk>/", CandidateDetailApi.as_view(), name="candidate_detail"),
    path(_C + "endorsements/", EndorsementListApi.as_view(), name="endorsement_list"),
    path(_C + "endorsements/<int:pk>/", EndorsementDetailApi.as_view(), name="endorsement_detail"),
    path("national/endorsement-requests/", NationalRequestListApi.as_view(), name="national_request_list"),
    path(_N, NationalRequestDetailApi.as_view(), name="national_request_detail"),
    path(_N + "assign/", NecAssignApi.as_view(), name="nec_assign"),
    path(_N + "comments/", NecCommentApi.as_view(), name="nec_comment"),
    path(_N + "recommendation/", NecRecommendApi.as_view(), name="nec_recommend"),
    path(_N + "nec-vote/", NecVoteApi.as_view(), name="nec_vote"),
    path(_N + "npc-decision/", NpcDecisionApi.as_view(), name="npc_decision"),
]
