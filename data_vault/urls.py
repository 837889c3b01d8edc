"""The vault's pages, under /c/<chapter>/vault/."""

from django.urls import URLPattern, path

from data_vault.views import people, transfers

app_name = "data_vault"

V = "c/<slug:chapter>/vault/"

# People, households, contact history, lists, exports, sharing and erasure.
people_patterns: list[URLPattern] = [
    path(f"{V}people/", people.person_list, name="person_list"),
    path(f"{V}people/tag/", people.person_list_tag, name="person_list_tag"),
    path(f"{V}people/export/", people.person_list_export, name="person_list_export"),
    path(f"{V}people/<int:pk>/", people.person_detail, name="person_detail"),
    path(f"{V}people/<int:pk>/merge/", people.person_merge, name="person_merge"),
    path(f"{V}people/<int:pk>/erase/", people.person_erase, name="person_erase"),
    path(f"{V}people/<int:pk>/edit/", people.person_edit, name="person_edit"),
    path(f"{V}people/<int:pk>/move/", people.person_household_move, name="person_household_move"),
    path(f"{V}people/<int:pk>/contacts/", people.person_contact_log, name="person_contact_log"),
    path(f"{V}people/<int:pk>/tags/", people.person_tag_add, name="person_tag_add"),
    path(f"{V}people/<int:pk>/tags/<int:tag>/remove/", people.person_tag_remove, name="person_tag_remove"),
    path(f"{V}people/<int:pk>/ladder/", people.person_ladder_set, name="person_ladder_set"),
    path(f"{V}people/<int:pk>/phones/", people.person_phone_add, name="person_phone_add"),
    path(f"{V}people/<int:pk>/phones/<int:phone>/remove/", people.person_phone_remove, name="person_phone_remove"),
    path(f"{V}people/<int:pk>/emails/", people.person_email_add, name="person_email_add"),
    path(f"{V}people/<int:pk>/emails/<int:email>/remove/", people.person_email_remove, name="person_email_remove"),
    path(f"{V}people/<int:pk>/do-not-contact/", people.person_do_not_contact_set, name="person_do_not_contact_set"),
    path(
        f"{V}people/<int:pk>/do-not-contact/<str:channel>/clear/",
        people.person_do_not_contact_clear,
        name="person_do_not_contact_clear",
    ),
    path(f"{V}lists/", people.saved_list_list, name="saved_list_list"),
    path(f"{V}lists/new/", people.saved_list_create, name="saved_list_create"),
    path(f"{V}lists/<int:pk>/", people.saved_list_detail, name="saved_list_detail"),
    path(f"{V}lists/<int:pk>/count/", people.saved_list_count, name="saved_list_count"),
    path(f"{V}lists/<int:pk>/edit/", people.saved_list_edit, name="saved_list_edit"),
    path(f"{V}lists/<int:pk>/delete/", people.saved_list_delete, name="saved_list_delete"),
    path(f"{V}lists/<int:pk>/tag/", people.saved_list_tag, name="saved_list_tag"),
    path(f"{V}lists/<int:pk>/export/", people.saved_list_export, name="saved_list_export"),
    path(f"{V}lists/<int:pk>/share/", people.saved_list_share, name="saved_list_share"),
    path(f"{V}sharing/", people.sharing_list, name="sharing_list"),
    path(f"{V}sharing/<int:pk>/revoke/", people.sharing_agreement_revoke, name="sharing_agreement_revoke"),
    path(f"{V}shared/<int:pk>/", people.shared_list_detail, name="shared_list_detail"),
    path(f"{V}list-exports/<int:pk>/", people.list_export_detail, name="list_export_detail"),
    path(f"{V}list-exports/<int:pk>/progress/", people.list_export_progress, name="list_export_progress"),
    path(f"{V}list-exports/<int:pk>/download/", people.list_export_download, name="list_export_download"),
]


# Imports and whole-vault exports: upload, mapping, progress, rejected rows, downloads.
transfer_patterns: list[URLPattern] = [
    path(f"{V}imports/", transfers.import_list, name="import_list"),
    path(f"{V}imports/<int:pk>/", transfers.import_detail, name="import_detail"),
    path(f"{V}imports/<int:pk>/mapping/", transfers.import_mapping, name="import_mapping"),
    path(f"{V}imports/<int:pk>/progress/", transfers.import_progress, name="import_progress"),
    path(f"{V}imports/<int:pk>/cancel/", transfers.import_cancel, name="import_cancel"),
    path(
        f"{V}imports/<int:pk>/rejected-rows.csv",
        transfers.import_rejections_csv,
        name="import_rejections_csv",
    ),
    path(f"{V}export/", transfers.vault_export_list, name="vault_export_list"),
    path(f"{V}export/<int:pk>/", transfers.vault_export_detail, name="vault_export_detail"),
    path(
        f"{V}export/<int:pk>/progress/",
        transfers.vault_export_progress,
        name="vault_export_progress",
    ),
    path(
        f"{V}export/<int:pk>/download/",
        transfers.vault_export_download,
        name="vault_export_download",
    ),
]


urlpatterns = people_patterns + transfer_patterns
