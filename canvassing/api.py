"""API of the canvassing app."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
