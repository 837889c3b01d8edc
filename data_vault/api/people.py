"""API for people, households, contact events and saved lists."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
