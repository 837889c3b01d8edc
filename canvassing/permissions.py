"""Who may do what in the field operation."""

from __future__ import annotations

from chapters.models import Role
from chapters.permissions import role_at_least
from core.permissions import Rule

# Organizers plan: campaigns, scripts, questions, and lists saved from answers.
MANAGE_CAMPAIGNS = Rule("canvassing.manage_campaigns", role_at_least(Role.ORGANIZER))
# Captains cut turf from the chapter's saved lists and reshape it.
CUT_TURF = Rule("canvassing.cut_turf", role_at_least(Role.CAPTAIN))
# Captains run the field: shifts, assignments, walk lists, paper results, dashboards and review.
VIEW_CAMPAIGNS = Rule("canvassing.view_campaigns", role_at_least(Role.CAPTAIN))
RUN_SHIFTS = Rule("canvassing.run_shifts", role_at_least(Role.CAPTAIN))
PRINT_WALK_LISTS = Rule("canvassing.print_walk_lists", role_at_least(Role.CAPTAIN))
REVIEW_RESULTS = Rule("canvassing.review_results", role_at_least(Role.CAPTAIN))
# Any member may sign up for a shift; canvassers reach doors only on a turf assigned to them.
SIGN_UP = Rule("canvassing.sign_up", role_at_least(Role.MEMBER))
CANVASS = Rule("canvassing.canvass", role_at_least(Role.CANVASSER))
