"""
The data_vault app's admin, for staff fixing one record at a time.

People leave the system only through audited exports, so only the small
tables get django-import-export: tags, and saved lists (a list is a filter,
not its members), so list definitions can move between deployments. People,
households and contact events are never imported or exported here.
Foreign keys use raw ids: a chapter may hold a million people.
"""

import json
from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from import_export import fields, resources
from import_export.admin import ImportExportModelAdmin
from import_export.widgets import ForeignKeyWidget, JSONWidget

from chapters.models import Chapter
from core.errors import ApplicationError
from data_vault import services
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


class FiltersWidget(JSONWidget):
    """A saved list's people filter as a JSON object; an empty cell is the empty filter."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> dict[str, Any]:
        if value in (None, ""):
            return {}
        try:
            parsed = value if isinstance(value, dict) else json.loads(str(value))
        except ValueError as error:
            raise ValueError(f"The filters are not valid JSON: {error}") from error
        if not isinstance(parsed, dict):
            raise ValueError('The filters must be a JSON object, such as {"precinct": ["01"]}.')
        return parsed

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return json.dumps(value or {}, sort_keys=True)


class SavedListResource(resources.ModelResource):
    """
    A list definition: its chapter (by slug), name, description and filters.

    An import checks the filters as the list page does. Campaign ids in a
    filter belong to one deployment, so a filter naming a campaign the chapter
    does not have here is refused rather than pointed at another campaign.
    """

    chapter = fields.Field(attribute="chapter", column_name="chapter", widget=ForeignKeyWidget(Chapter, field="slug"))
    filters = fields.Field(attribute="filters", column_name="filters", widget=FiltersWidget())

    class Meta:
        model = SavedList
        import_id_fields = ["chapter", "name"]
        fields = ["chapter", "name", "description", "filters"]
        skip_unchanged = True

    def validate_instance(
        self,
        instance: SavedList,
        import_validation_errors: dict[str, Any] | None = None,
        validate_unique: bool = True,
    ) -> None:
        errors = dict(import_validation_errors or {})
        if "chapter" not in errors and "filters" not in errors and instance.chapter_id is not None:
            try:
                instance.filters = services.saved_list_filters_clean(chapter=instance.chapter, filters=instance.filters)
            except ApplicationError as error:
                errors["filters"] = ValidationError(error.message)
        super().validate_instance(instance, errors, validate_unique)


@admin.register(SavedList)
class SavedListAdmin(ImportExportModelAdmin):
    resource_classes = [SavedListResource]
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
