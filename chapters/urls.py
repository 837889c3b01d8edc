from django.urls import path

from chapters import views

app_name = "chapters"
urlpatterns = [
    path("invite/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("c/<slug:chapter>/", views.dashboard, name="dashboard"),
    path("c/<slug:chapter>/members/", views.member_list, name="member_list"),
    path("c/<slug:chapter>/members/<int:pk>/role/", views.member_role_change, name="member_role_change"),
    path("c/<slug:chapter>/members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("c/<slug:chapter>/invitations/", views.invitation_list, name="invitation_list"),
    path("c/<slug:chapter>/invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("c/<slug:chapter>/settings/", views.chapter_settings, name="settings"),
    path("c/<slug:chapter>/audit/", views.audit_trail, name="audit_trail"),
]
