"""Who may do what in the vault: organizers and chairs own the chapter's data."""

from __future__ import annotations

from chapters.models import Role
from chapters.permissions import role_at_least
from core.permissions import Rule

# Canvassers and members never reach the vault: they see only their own turf.
VIEW_PEOPLE = Rule("data_vault.view_people", role_at_least(Role.ORGANIZER))
EDIT_PEOPLE = Rule("data_vault.edit_people", role_at_least(Role.ORGANIZER))
LOG_CONTACT = Rule("data_vault.log_contact", role_at_least(Role.ORGANIZER))
IMPORT_PEOPLE = Rule("data_vault.import_people", role_at_least(Role.ORGANIZER))
MANAGE_LISTS = Rule("data_vault.manage_lists", role_at_least(Role.ORGANIZER))
EXPORT_LIST = Rule("data_vault.export_list", role_at_least(Role.ORGANIZER))
EXPORT_VAULT = Rule("data_vault.export_vault", role_at_least(Role.ORGANIZER))
DELETE_PERSON = Rule("data_vault.delete_person", role_at_least(Role.ORGANIZER))
# The chair decides who outside the chapter may read its data.
MANAGE_SHARING = Rule("data_vault.manage_sharing", role_at_least(Role.CHAIR))
