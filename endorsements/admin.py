"""The endorsements app's admin: for looking things up; status only moves through the workflow."""

from django.contrib import admin
from django.http import HttpRequest

from endorsements.models import Candidate, Endorsement, NationalRequest, QuestionnaireTemplate, Race, StatusChange


@admin.register(Race)
class RaceAdmin(admin.ModelAdmin):
    list_display = ["office", "district", "jurisdiction", "election_type", "election_date", "chapter"]
    list_filter = ["level", "election_type", "chapter"]
    search_fields = ["office", "jurisdiction", "district"]


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ["name", "ballot_line", "is_incumbent", "is_member", "chapter"]
    list_filter = ["chapter", "is_member"]
    search_fields = ["name", "email"]


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    fields = readonly_fields = ("created_at", "from_status", "to_status", "actor_label", "reason")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Endorsement | None = None) -> bool:
        return False


@admin.register(Endorsement)
class EndorsementAdmin(admin.ModelAdmin):
    list_display = ["candidate", "race", "chapter", "status", "is_public", "updated_at"]
    list_filter = ["status", "is_public", "chapter"]
    search_fields = ["candidate__name", "race__office"]
    list_select_related = ["candidate", "race", "chapter"]
    readonly_fields = ["status", "version", "chapter", "race", "candidate", "created_by"]
    inlines = [StatusChangeInline]


@admin.register(QuestionnaireTemplate)
class QuestionnaireTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "version", "chapter", "created_at"]
    list_filter = ["chapter"]


@admin.register(NationalRequest)
class NationalRequestAdmin(admin.ModelAdmin):
    list_display = ["endorsement", "submitted_at", "deadline", "is_late"]
    list_select_related = ["endorsement__candidate", "endorsement__race"]
    readonly_fields = ["endorsement", "submitted_by", "submitted_at", "deadline", "is_late"]
