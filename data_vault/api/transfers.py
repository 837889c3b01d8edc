"""API for imports: start one, follow its progress, read its rejected rows."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
