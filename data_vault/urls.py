from django.urls import URLPattern, path  # noqa: F401

app_name = "data_vault"
urlpatterns: list[URLPattern] = []
