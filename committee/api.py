"""API of the committee app."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
