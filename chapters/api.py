"""API for chapters and their memberships."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from chapters import permissions, selectors
from chapters.models import Chapter, Membership


class ChapterSerializer(serializers.ModelSerializer[Chapter]):
    class Meta:
        model = Chapter
        fields = [
            "slug",
            "name",
            "state",
            "region",
            "endorsement_threshold_percent",
            "endorsement_quorum",
            "endorsement_requires_questionnaire",
            "endorsement_requires_research",
        ]


class MyMembershipSerializer(serializers.ModelSerializer[Membership]):
    chapter = ChapterSerializer()

    class Meta:
        model = Membership
        fields = ["chapter", "role"]


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    email = serializers.EmailField(source="user.email")
    name = serializers.CharField(source="user.name")

    class Meta:
        model = Membership
        fields = ["id", "email", "name", "role", "created_at"]


class ChapterListApi(generics.ListAPIView[Membership]):
    """List the chapters you belong to, with your role in each."""

    serializer_class = MyMembershipSerializer

    def get_queryset(self) -> QuerySet[Membership]:
        return selectors.membership_list_for_user(user=self.request.user)  # type: ignore[arg-type]


class ChapterDetailApi(generics.RetrieveAPIView[Chapter]):
    """Show one of your chapters."""

    serializer_class = ChapterSerializer

    def get_object(self) -> Chapter:
        return selectors.membership_get_for_user(
            user=self.request.user,  # type: ignore[arg-type]
            chapter_slug=self.kwargs["chapter"],
        ).chapter


@extend_schema(summary="List a chapter's members (organizers and chairs)")
class MembershipListApi(generics.ListAPIView[Membership]):
    """List a chapter's members and their roles."""

    serializer_class = MembershipSerializer

    def get_queryset(self) -> QuerySet[Membership]:
        membership = selectors.membership_get_for_user(
            user=self.request.user,  # type: ignore[arg-type]
            chapter_slug=self.kwargs["chapter"],
            rule=permissions.VIEW_MEMBERS,
        )
        return selectors.membership_list(chapter=membership.chapter)


class MembershipDetailApi(generics.RetrieveAPIView[Membership]):
    """Show one member of a chapter."""

    serializer_class = MembershipSerializer

    def get_object(self) -> Membership:
        membership = selectors.membership_get_for_user(
            user=self.request.user,  # type: ignore[arg-type]
            chapter_slug=self.kwargs["chapter"],
            rule=permissions.VIEW_MEMBERS,
        )
        return selectors.membership_get(chapter=membership.chapter, pk=self.kwargs["pk"])


urlpatterns = [
    path("chapters/", ChapterListApi.as_view(), name="chapter_list"),
    path("chapters/<slug:chapter>/", ChapterDetailApi.as_view(), name="chapter_detail"),
    path("chapters/<slug:chapter>/memberships/", MembershipListApi.as_view(), name="membership_list"),
    path("chapters/<slug:chapter>/memberships/<int:pk>/", MembershipDetailApi.as_view(), name="membership_detail"),
]
