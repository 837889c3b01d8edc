from django.urls import path

from committee import views

app_name = "committee"
urlpatterns = [
    # A chapter's side.
    path("c/<slug:chapter>/help/", views.request_list, name="request_list"),
    path("c/<slug:chapter>/help/<int:pk>/", views.request_detail, name="request_detail"),
    path("c/<slug:chapter>/nec-feedback/", views.feedback_give, name="feedback_give"),
    path("c/<slug:chapter>/capacity/", views.capacity, name="capacity"),
    path("c/<slug:chapter>/nec-nomination/", views.nominate, name="nominate"),
    path("c/<slug:chapter>/trainings/new/", views.chapter_training_create, name="chapter_training_create"),
    # The NEC's side.
    path("nec/", views.nec_home, name="nec_home"),
    path("nec/requests/", views.nec_request_list, name="nec_request_list"),
    path("nec/requests/<int:pk>/", views.nec_request_detail, name="nec_request_detail"),
    path("nec/requests/<int:pk>/move/", views.nec_request_move, name="nec_request_move"),
    path("nec/capacity/", views.heatmap, name="heatmap"),
    path("nec/feedback/", views.feedback_list, name="feedback_list"),
    path("nec/terms/", views.term_list, name="term_list"),
    path("nec/terms/<int:pk>/", views.term_detail, name="term_detail"),
    path("nec/terms/<int:pk>/results/", views.term_results, name="term_results"),
    path("nec/terms/<int:pk>/cochairs/", views.term_cochairs, name="term_cochairs"),
    path("nec/subcommittees/<int:pk>/", views.subcommittee_detail, name="subcommittee_detail"),
    path("nec/subcommittees/<int:pk>/members/", views.subcommittee_member_add, name="subcommittee_member_add"),
    path("nec/subcommittees/<int:pk>/cochairs/", views.subcommittee_cochairs, name="subcommittee_cochairs"),
    path("nec/tables/new/", views.table_create, name="table_create"),
    path("nec/trainings/new/", views.nec_training_create, name="nec_training_create"),
    path("nec/reports/", views.report_list, name="report_list"),
    path("nec/reports/<int:pk>/", views.report_detail, name="report_detail"),
    path(
        "nec/reports/<int:pk>/sections/<int:section>/delete/", views.report_section_delete, name="report_section_delete"
    ),
    path("nec/reports/<int:pk>/render/", views.report_render, name="report_render"),
    path("nec/reports/<int:pk>/renders/<int:render>/", views.report_render_progress, name="report_render_progress"),
    path("nec/reports/<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path("nec/reports/<int:pk>/publish/", views.report_publish, name="report_publish"),
    # Trainings, open to members of every chapter.
    path("trainings/", views.training_list, name="training_list"),
    path("trainings/library/", views.training_library, name="training_library"),
    path("trainings/<int:pk>/", views.training_detail, name="training_detail"),
    path("trainings/<int:pk>/signup/", views.training_signup, name="training_signup"),
    path("trainings/<int:pk>/attendance/", views.training_attendance, name="training_attendance"),
    path("trainings/<int:pk>/materials/", views.material_upload, name="material_upload"),
    path("trainings/materials/<int:pk>/", views.material_download, name="material_download"),
    # Statewide tables.
    path("tables/", views.table_list, name="table_list"),
    path("tables/<str:state>/", views.table_detail, name="table_detail"),
    # Public pages.
    path("public/nec/", views.public_roster, name="public_roster"),
    path("public/reports/", views.public_reports, name="public_reports"),
    path("public/reports/<slug:slug>/", views.public_report, name="public_report"),
    path("public/reports/<slug:slug>/pdf/", views.public_report_pdf, name="public_report_pdf"),
]
