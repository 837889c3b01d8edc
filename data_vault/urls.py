"""The vault's pages, under /c/<chapter>/vault/."""

from django.urls import URLPattern, path

from data_vault.views import people, transfers  # noqa: F401

app_name = "data_vault"

# People, households, contact history, lists, exports, sharing and erasure.
people_patterns: list[URLPattern] = []


# Imports and whole-vault exports: upload, mapping, progress, rejected rows, downloads.
transfer_patterns: list[URLPattern] = [
    path("c/<slug:chapter>/vault/imports/", transfers.import_list, name="import_list"),
    path("c/<slug:chapter>/vault/imports/<int:pk>/", transfers.import_detail, name="import_detail"),
    path("c/<slug:chapter>/vault/imports/<int:pk>/mapping/", transfers.import_mapping, name="import_mapping"),
    path("c/<slug:chapter>/vault/imports/<int:pk>/progress/", transfers.import_progress, name="import_progress"),
    path("c/<slug:chapter>/vault/imports/<int:pk>/cancel/", transfers.import_cancel, name="import_cancel"),
    path(
        "c/<slug:chapter>/vault/imports/<int:pk>/rejected-rows.csv",
        transfers.import_rejections_csv,
        name="import_rejections_csv",
    ),
    path("c/<slug:chapter>/vault/export/", transfers.vault_export_list, name="vault_export_list"),
    path("c/<slug:chapter>/vault/export/<int:pk>/", transfers.vault_export_detail, name="vault_export_detail"),
    path(
        "c/<slug:chapter>/vault/export/<int:pk>/progress/",
        transfers.vault_export_progress,
        name="vault_export_progress",
    ),
    path(
        "c/<slug:chapter>/vault/export/<int:pk>/download/",
        transfers.vault_export_download,
        name="vault_export_download",
    ),
]


urlpatterns = people_patterns + transfer_patterns
