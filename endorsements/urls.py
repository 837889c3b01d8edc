from django.urls import path

from endorsements.views import chapter, national, public

app_name = "endorsements"

_E = "c/<slug:chapter>/endorsements/<int:pk>/"

urlpatterns = [
    # Public: no sign-in.
    path("public/endorsements/", public.public_endorsements, name="public_endorsements"),
    path("public/questionnaire/<str:token>/", public.public_questionnaire, name="public_questionnaire"),
    # The chapter's races, candidates and questionnaires.
    path("c/<slug:chapter>/races/", chapter.race_list, name="race_list"),
    path("c/<slug:chapter>/races/<int:pk>/", chapter.race_detail, name="race_detail"),
    path("c/<slug:chapter>/candidates/", chapter.candidate_list, name="candidate_list"),
    path("c/<slug:chapter>/candidates/<int:pk>/", chapter.candidate_detail, name="candidate_detail"),
    path("c/<slug:chapter>/questionnaires/", chapter.questionnaire_template_list, name="questionnaire_template_list"),
    path(
        "c/<slug:chapter>/questionnaires/<int:pk>/",
        chapter.questionnaire_template_detail,
        name="questionnaire_template_detail",
    ),
    # Each endorsement's process.
    path("c/<slug:chapter>/endorsements/", chapter.endorsement_list, name="endorsement_list"),
    path("c/<slug:chapter>/endorsements/new/", chapter.endorsement_create, name="endorsement_create"),
    path(_E, chapter.endorsement_detail, name="endorsement_detail"),
    path(_E + "move/<slug:action>/", chapter.endorsement_transition, name="endorsement_transition"),
    path(_E + "questionnaire/", chapter.questionnaire_send, name="questionnaire_send"),
    path(_E + "dossier/", chapter.dossier, name="dossier"),
    path(_E + "dossier/attachments/", chapter.dossier_attachment_add, name="dossier_attachment_add"),
    path(
        _E + "dossier/attachments/<int:attachment>/",
        chapter.dossier_attachment_download,
        name="dossier_attachment_download",
    ),
    path(_E + "comments/", chapter.comment_add, name="comment_add"),
    path(_E + "plan/", chapter.local_plan, name="local_plan"),
    path(_E + "vote/", chapter.vote, name="vote"),
    path(_E + "vote/open/", chapter.vote_open, name="vote_open"),
    path(_E + "vote/<int:vote_pk>/counts/", chapter.vote_counts, name="vote_counts"),
    path(_E + "vote/<int:vote_pk>/ballot/", chapter.ballot_cast, name="ballot_cast"),
    path(_E + "vote/<int:vote_pk>/close/", chapter.vote_close, name="vote_close"),
    path(_E + "national/", chapter.national_request, name="national_request"),
    path(_E + "public/", chapter.publicity, name="publicity"),
    path(_E + "commitments/", chapter.commitments, name="commitments"),
    path(_E + "commitments/<int:commitment>/check-in/", chapter.commitment_check_in, name="commitment_check_in"),
    path(_E + "packet/", chapter.packet_start, name="packet_start"),
    path(_E + "packet/<int:job>/", chapter.packet_status, name="packet_status"),
    path(_E + "packet/<int:job>/download/", chapter.packet_download, name="packet_download"),
    # National: the NEC's review and the NPC's decision.
    path("national/endorsements/", national.national_queue, name="national_queue"),
    path("national/endorsements/<int:pk>/", national.national_review, name="national_review"),
    path("national/endorsements/<int:pk>/assign/", national.nec_assign, name="nec_assign"),
    path("national/endorsements/<int:pk>/comments/", national.nec_comment, name="nec_comment"),
    path("national/endorsements/<int:pk>/recommend/", national.nec_recommend, name="nec_recommend"),
    path("national/endorsements/<int:pk>/nec-vote/", national.nec_vote, name="nec_vote"),
    path("national/endorsements/<int:pk>/npc/", national.npc_decide, name="npc_decide"),
    path("national/endorsements/<int:pk>/packet/", national.national_packet_start, name="national_packet_start"),
    path(
        "national/endorsements/<int:pk>/packet/<int:job>/",
        national.national_packet_status,
        name="national_packet_status",
    ),
    path(
        "national/endorsements/<int:pk>/packet/<int:job>/download/",
        national.national_packet_download,
        name="national_packet_download",
    ),
]
