"""API of the data_vault app."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
