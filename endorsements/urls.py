from django.urls import URLPattern, path  # noqa: F401

app_name = "endorsements"
urlpatterns: list[URLPattern] = []
