"""The field operation's pages, under /c/<chapter>/canvass/."""

from django.urls import URLPattern, path

from canvassing.views import campaigns, dashboards, field, shifts, turfs, walk_lists

app_name = "canvassing"
C = "c/<slug:chapter>/canvass/"

urlpatterns: list[URLPattern] = [
    path(C, shifts.canvass_home, name="canvass_home"),
    path(C + "campaigns/", campaigns.campaign_list, name="campaign_list"),
    path(C + "campaigns/new/", campaigns.campaign_create, name="campaign_create"),
    path(C + "campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign_detail"),
    path(C + "campaigns/<int:pk>/edit/", campaigns.campaign_edit, name="campaign_edit"),
    path(C + "campaigns/<int:pk>/questions/", campaigns.question_add, name="question_add"),
    path(
        C + "campaigns/<int:pk>/questions/<int:question_pk>/delete/",
        campaigns.question_delete,
        name="question_delete",
    ),
    path(C + "campaigns/<int:pk>/answers/<int:option_pk>/", campaigns.answer_effects, name="answer_effects"),
    path(C + "campaigns/<int:pk>/cut/", turfs.turf_cut, name="turf_cut"),
    path(C + "campaigns/<int:pk>/dashboard/", dashboards.campaign_dashboard, name="campaign_dashboard"),
    path(C + "campaigns/<int:pk>/flags/", dashboards.flag_list, name="flag_list"),
    path(C + "campaigns/<int:pk>/lists/", dashboards.list_from_answers, name="list_from_answers"),
    path(C + "flags/<int:pk>/", dashboards.flag_detail, name="flag_detail"),
    path(C + "flags/<int:pk>/review/", dashboards.flag_review, name="flag_review"),
    path(C + "campaigns/<int:pk>/shifts/new/", shifts.shift_create, name="shift_create"),
    path(C + "campaigns/<int:pk>/assign/", shifts.turf_assign, name="turf_assign"),
    path(C + "shifts/<int:pk>/", shifts.shift_detail, name="shift_detail"),
    path(C + "shifts/<int:pk>/sign-up/", shifts.shift_signup, name="shift_signup"),
    path(C + "shifts/<int:pk>/cancel/", shifts.shift_cancel, name="shift_cancel"),
    path(C + "shifts/<int:pk>/check-in/<int:signup_pk>/", shifts.shift_check_in, name="shift_check_in"),
    path(C + "assignments/<int:pk>/end/", shifts.assignment_end, name="assignment_end"),
    path(C + "scripts/", campaigns.script_list, name="script_list"),
    path(C + "scripts/<int:pk>/", campaigns.script_detail, name="script_detail"),
    path(C + "turfs/<int:pk>/", turfs.turf_detail, name="turf_detail"),
    path(C + "turfs/<int:pk>/move/", turfs.turf_move, name="turf_move"),
    path(C + "turfs/<int:pk>/split/", turfs.turf_split, name="turf_split"),
    path(C + "turfs/<int:pk>/merge/", turfs.turf_merge, name="turf_merge"),
    path(C + "turfs/<int:pk>/walk-list/", walk_lists.walk_list_create, name="walk_list_create"),
    path(C + "turfs/<int:pk>/walk-list.csv", walk_lists.turf_csv, name="turf_csv"),
    path(C + "turfs/<int:pk>/paper-results/", walk_lists.paper_results, name="paper_results"),
    path(C + "walk-lists/<int:pk>/", walk_lists.walk_list_job, name="walk_list_job"),
    path(C + "walk-lists/<int:pk>/download/", walk_lists.walk_list_download, name="walk_list_download"),
    path(C + "turfs/<int:pk>/walk/", field.canvass_walk, name="canvass_walk"),
    path("t/<str:code>/", field.turf_code, name="turf_code"),
    path("canvass-sw.js", field.service_worker, name="service_worker"),
]
