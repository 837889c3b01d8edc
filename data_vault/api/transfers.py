"""API for imports: start one, follow its progress, read its rejected rows."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from chapters.selectors import membership_get_for_user
from core.services import job_progress_get
from data_vault import permissions
from data_vault.importers import jobs
from data_vault.importers.presets import PRESETS
from data_vault.models import ImportJob, ImportRejection


class ImportJobSerializer(serializers.ModelSerializer[ImportJob]):
    progress = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "original_name",
            "size_bytes",
            "source",
            "preset",
            "file_format",
            "encoding",
            "header",
            "mapping",
            "status",
            "progress",
            "error",
            "created_count",
            "updated_count",
            "unchanged_count",
            "rejected_count",
            "households_created_count",
            "created_at",
            "started_at",
            "finished_at",
        ]

    def get_progress(self, job: ImportJob) -> dict[str, Any]:
        return job_progress_get(job)


class ImportCreateSerializer(serializers.Serializer[Any]):
    file = serializers.FileField()
    preset = serializers.ChoiceField(choices=list(PRESETS), required=False, allow_blank=True)
    mapping = serializers.CharField(
        required=False, help_text="JSON object: vault field → the file's column. Guessed when left out."
    )

    def validate_mapping(self, value: str) -> dict[str, Any]:
        try:
            mapping = json.loads(value)
        except ValueError as error:
            raise serializers.ValidationError("The mapping is not valid JSON.") from error
        if not isinstance(mapping, dict):
            raise serializers.ValidationError("The mapping must be a JSON object.")
        return mapping


class ImportRejectionSerializer(serializers.ModelSerializer[ImportRejection]):
    class Meta:
        model = ImportRejection
        fields = ["row_number", "column", "value", "reason"]


def _chapter_for_import(request: Request, chapter: str) -> Any:
    return membership_get_for_user(
        user=request.user,  # type: ignore[arg-type]
        chapter_slug=chapter,
        rule=permissions.IMPORT_PEOPLE,
    ).chapter


class ImportListApi(generics.ListCreateAPIView[ImportJob]):
    """List the chapter's imports, or upload a file and start importing it."""

    serializer_class = ImportJobSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[ImportJob]:
        return jobs.import_job_list(chapter=_chapter_for_import(self.request, self.kwargs["chapter"]))

    @extend_schema(request=ImportCreateSerializer, responses={201: ImportJobSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        chapter = _chapter_for_import(request, kwargs["chapter"])
        form = ImportCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        job = jobs.import_job_create(
            chapter=chapter,
            actor=request.user,  # type: ignore[arg-type]
            upload=upload,
            original_name=upload.name,
            source=ImportJob.Source.API,
            preset=form.validated_data.get("preset", ""),
            mapping=form.validated_data.get("mapping"),
            require_mapping=True,
        )
        job = jobs.import_job_confirm(job=job, mapping=job.mapping, actor=request.user)  # type: ignore[arg-type]
        return Response(ImportJobSerializer(job).data, status=status.HTTP_201_CREATED)


class ImportDetailApi(generics.RetrieveAPIView[ImportJob]):
    """Show an import: its status, live progress and counts."""

    serializer_class = ImportJobSerializer

    def get_object(self) -> ImportJob:
        return jobs.import_job_get_for_user(
            user=self.request.user,  # type: ignore[arg-type]
            chapter_slug=self.kwargs["chapter"],
            pk=self.kwargs["pk"],
        )


class ImportRejectionListApi(generics.ListAPIView[ImportRejection]):
    """List an import's rejected rows: row number, column, value and reason."""

    serializer_class = ImportRejectionSerializer

    def get_queryset(self) -> QuerySet[ImportRejection]:
        job = jobs.import_job_get_for_user(
            user=self.request.user,  # type: ignore[arg-type]
            chapter_slug=self.kwargs["chapter"],
            pk=self.kwargs["pk"],
        )
        return jobs.import_rejection_list(job=job)


class ImportCancelApi(APIView):
    """Stop a queued or running import; nothing it read is kept."""

    @extend_schema(request=None, responses={202: ImportJobSerializer})
    def post(self, request: Request, chapter: str, pk: int) -> Response:
        job = jobs.import_job_get_for_user(user=request.user, chapter_slug=chapter, pk=pk)  # type: ignore[arg-type]
        jobs.import_job_cancel(job=job, actor=request.user)  # type: ignore[arg-type]
        job.refresh_from_db()
        return Response(ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


urlpatterns = [
    path("chapters/<slug:chapter>/imports/", ImportListApi.as_view(), name="import_list"),
    path("chapters/<slug:chapter>/imports/<int:pk>/", ImportDetailApi.as_view(), name="import_detail"),
    path(
        "chapters/<slug:chapter>/imports/<int:pk>/rejections/",
        ImportRejectionListApi.as_view(),
        name="import_rejection_list",
    ),
    path("chapters/<slug:chapter>/imports/<int:pk>/cancel/", ImportCancelApi.as_view(), name="import_cancel"),
]
