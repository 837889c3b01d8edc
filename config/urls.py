"""Every route: chapter pages under /c/<chapter>/, the API under /api/v1/, public pages."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

api_patterns = [
    path("", include("chapters.api")),
    path("", include("data_vault.api")),
    path("", include("canvassing.api")),
    path("", include("endorsements.api")),
    path("", include("committee.api")),
]

urlpatterns = [
    path("", include("core.urls")),
    path("", include("chapters.urls")),
    path("", include("data_vault.urls")),
    path("", include("canvassing.urls")),
    path("", include("endorsements.urls")),
    path("", include("committee.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_patterns, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/docs/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
]
