"""The vault's pages, under /c/<chapter>/vault/."""

from django.urls import URLPattern

from data_vault.views import people, transfers  # noqa: F401

app_name = "data_vault"

# People, households, contact history, lists, exports, sharing and erasure.
people_patterns: list[URLPattern] = []


# Imports and whole-vault exports: upload, mapping, progress, rejected rows, downloads.
transfer_patterns: list[URLPattern] = []


urlpatterns = people_patterns + transfer_patterns
