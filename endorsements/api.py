"""API of the endorsements app."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
