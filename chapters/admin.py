from django.contrib import admin
from import_export import fields, resources
from import_export.admin import ImportExportModelAdmin
from import_export.widgets import ForeignKeyWidget

from chapters.models import Chapter, Invitation, Membership, NationalRole
from core.models import User


class ChapterResource(resources.ModelResource):
    class Meta:
        model = Chapter
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "name",
            "state",
            "region",
            "contact_email",
            "endorsement_threshold_percent",
            "endorsement_quorum",
            "endorsement_requires_questionnaire",
            "endorsement_requires_research",
        ]
        skip_unchanged = True
        report_skipped = True


class MembershipResource(resources.ModelResource):
    email = fields.Field(attribute="user", column_name="email", widget=ForeignKeyWidget(User, field="email"))
    chapter = fields.Field(attribute="chapter", column_name="chapter", widget=ForeignKeyWidget(Chapter, field="slug"))

    class Meta:
        model = Membership
        import_id_fields = ["email", "chapter"]
        fields = ["email", "chapter", "role"]
        skip_unchanged = True


@admin.register(Chapter)
class ChapterAdmin(ImportExportModelAdmin):
    resource_classes = [ChapterResource]
    list_display = ["name", "slug", "state", "region"]
    list_filter = ["state", "region"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Membership)
class MembershipAdmin(ImportExportModelAdmin):
    resource_classes = [MembershipResource]
    list_display = ["user", "chapter", "role", "created_at"]
    list_filter = ["role", "chapter"]
    search_fields = ["user__email", "chapter__name"]
    autocomplete_fields = ["user", "chapter"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "chapter", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["chapter", "role"]
    readonly_fields = ["token_digest"]
    search_fields = ["email"]


@admin.register(NationalRole)
class NationalRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "created_at"]
    list_filter = ["kind"]
    autocomplete_fields = ["user"]
