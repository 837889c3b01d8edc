"""Who may do what with endorsements, in the chapter and nationally."""

from __future__ import annotations

from chapters.models import Role
from chapters.permissions import IS_NEC_COCHAIR, IS_NEC_MEMBER, IS_NPC_MEMBER, role_at_least
from core.permissions import Rule

# Every member sees the chapter's endorsements and casts a ballot.
VIEW_ENDORSEMENTS = Rule("endorsements.view", role_at_least(Role.MEMBER))
# The working group (organizers and chairs) runs the process and reads its internal material.
RUN_ENDORSEMENTS = Rule("endorsements.run", role_at_least(Role.ORGANIZER))

# Nationally: NEC members review submitted requests, co-chairs assign and record the NEC vote,
# and NPC members ratify or overrule.
NEC_REVIEW = Rule("endorsements.nec_review", IS_NEC_MEMBER.allows)
NEC_CHAIR = Rule("endorsements.nec_chair", IS_NEC_COCHAIR.allows)
NPC_DECIDE = Rule("endorsements.npc_decide", IS_NPC_MEMBER.allows)
NATIONAL_VIEW = NEC_REVIEW | NPC_DECIDE
