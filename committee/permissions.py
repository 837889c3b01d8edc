"""Who may do what in the committee app: chapter roles for a local's side, national roles for the NEC's."""

from __future__ import annotations

from chapters.models import Role
from chapters.permissions import IS_NEC_COCHAIR, IS_NEC_MEMBER, role_at_least
from core.permissions import Rule

# A chapter's side: its organizers and chair speak for its electoral working group.
FILE_ASSISTANCE_REQUEST = Rule("committee.file_assistance_request", role_at_least(Role.ORGANIZER))
VIEW_ASSISTANCE_REQUESTS = Rule("committee.view_assistance_requests", role_at_least(Role.ORGANIZER))
ASSESS_CAPACITY = Rule("committee.assess_capacity", role_at_least(Role.ORGANIZER))
GIVE_FEEDBACK = Rule("committee.give_feedback", role_at_least(Role.ORGANIZER))
HOST_TRAINING = Rule("committee.host_training", role_at_least(Role.ORGANIZER))
NOMINATE = Rule("committee.nominate", role_at_least(Role.CHAIR))

# The NEC's side: members answer requests and run trainings; co-chairs lead, report and read feedback.
WORK_ON_REQUESTS = Rule("committee.work_on_requests", IS_NEC_MEMBER.test)
RUN_TRAININGS = Rule("committee.run_trainings", IS_NEC_MEMBER.test)
VIEW_CAPACITY_HEATMAP = Rule("committee.view_capacity_heatmap", IS_NEC_MEMBER.test)
MANAGE_NEC = Rule("committee.manage_nec", IS_NEC_COCHAIR.test)
WRITE_REPORTS = Rule("committee.write_reports", IS_NEC_COCHAIR.test)
VIEW_FEEDBACK = Rule("committee.view_feedback", IS_NEC_COCHAIR.test)
