"""
The data_vault app's admin, for staff fixing one record at a time.

People leave the system only through audited exports, so only the small
tables (tags) get django-import-export; people are never exported here.
Foreign keys use raw ids: a chapter may hold a million people.
"""

from django.contrib import admin
from django.http import HttpRequest
from import_export import fields, resources
from import_export.admin import ImportExportModelAdmin
from import_export.widgets import ForeignKeyWidget

from chapters.models import Chapter
from data_vault.models import (
    ContactEvent,
    Erasure,
    ExportJob,
    Household,
    ImportJob,
    Person,
    SavedList,
    SharingAgreement,
    Tag,
)


class TagResource(resources.ModelResource):
    chapter = fields.Field(attribute="chapter", column_name="chapter", widget=ForeignKeyWidget(Chapter, field="slug"))

    class Meta:
        model = Tag
        import_id_fields = ["chapter", "name"]
        fields = ["chapter", "name"]
        skip_unchanged = True


@admin.register(Tag)
class TagAdmin(ImportExportModelAdmin):
    resource_classes = [TagResource]
    list_display = ["name", "chapter"]
    list_filter = ["chapter"]
    search_fields = ["name"]


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["__str__", "precinct", "chapter"]
    list_filter = ["chapter"]
    search_fields = ["address_key"]
    readonly_fields = ["address_key"]
    show_full_result_count = False


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["__str__", "state_voter_id", "precinct", "ladder", "chapter"]
    list_filter = ["chapter", "ladder"]
    search_fields = ["state_voter_id", "last_name"]
    raw_id_fields = ["household"]
    readonly_fields = ["name_key", "search_text"]
    filter_horizontal = ["tags"]
    show_full_result_count = False


@admin.register(ContactEvent)
class ContactEventAdmin(admin.ModelAdmin):
    list_display = ["__str__", "occurred_at", "campaign", "chapter"]
    list_filter = ["chapter", "channel", "result"]
    raw_id_fields = ["person", "household", "campaign", "recorded_by"]
    show_full_result_count = False


@admin.register(SavedList)
class SavedListAdmin(admin.ModelAdmin):
    list_display = ["name", "chapter", "updated_at"]
    list_filter = ["chapter"]
    search_fields = ["name"]
    raw_id_fields = ["created_by"]


@admin.register(SharingAgreement)
class SharingAgreementAdmin(admin.ModelAdmin):
    list_display = ["saved_list", "chapter", "partner", "created_at", "revoked_at"]
    list_filter = ["chapter", "partner"]
    raw_id_fields = ["saved_list", "created_by", "revoked_by"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["original_name", "chapter", "status", "created_at"]
    list_filter = ["chapter", "status"]
    readonly_fields = [f.name for f in ImportJob._meta.fields]


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ["__str__", "chapter", "status", "row_count", "expires_at"]
    list_filter = ["chapter", "kind", "status"]
    # The file is personal data: staff see the job, not a download link.
    exclude = ["file"]
    readonly_fields = ["chapter", "kind", "saved_list", "filters", "row_count", "expires_at", "status", "created_by"]


@admin.register(Erasure)
class ErasureAdmin(admin.ModelAdmin):
    list_display = ["__str__", "chapter", "created_at"]
    list_filter = ["chapter"]
    readonly_fields = ["chapter", "voter_id_digest", "match_digest", "erased_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
