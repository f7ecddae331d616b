"""Typed SQLAlchemy models, one module per area."""

from community.models.appreciation import Appreciation
from community.models.approach import (
    ADOPTION_STATUSES,
    APPROACH_TEXT_FIELDS,
    SCOPES,
    Adoption,
    Approach,
    ApproachSource,
    ApproachVersion,
)
from community.models.audit import AuditEvent
from community.models.case import (
    KINDS,
    PHASES,
    Attachment,
    Case,
    CaseRevision,
    Contribution,
    ContributionRevision,
    ExpertRequest,
)
from community.models.case_read import CaseRead
from community.models.community import (
    COMMUNITY_ROLES,
    FOLLOW_LEVELS,
    MEMBERSHIP_STATUSES,
    METHODS,
    VISIBILITIES,
    Community,
    Invitation,
    Membership,
)
from community.models.flag import FLAG_REASONS, FLAG_STATUSES, FLAG_TARGETS, Flag
from community.models.meeting import MEETING_KINDS, RESPONSES, Meeting, MeetingCase, Rsvp
from community.models.notification import Notification
from community.models.organisation import (
    ORGANISATION_KINDS,
    Organisation,
    OrganisationDomain,
    Theme,
)
from community.models.outbox import OutboxMessage
from community.models.search import SEARCH_KINDS, SearchDocument
from community.models.user import (
    EMAIL_MODES,
    LOCALES,
    PLATFORM_ROLES,
    USER_STATUSES,
    AnonymousUser,
    RecoveryCode,
    User,
    UserSession,
)

__all__ = [
    "Appreciation",
    "FLAG_REASONS",
    "FLAG_STATUSES",
    "FLAG_TARGETS",
    "Flag",
    "RecoveryCode",
    "UserSession",
    "SEARCH_KINDS",
    "SearchDocument",
    "MEETING_KINDS",
    "RESPONSES",
    "Meeting",
    "MeetingCase",
    "Rsvp",
    "ADOPTION_STATUSES",
    "APPROACH_TEXT_FIELDS",
    "SCOPES",
    "Adoption",
    "Approach",
    "ApproachSource",
    "ApproachVersion",
    "KINDS",
    "PHASES",
    "Attachment",
    "Case",
    "CaseRead",
    "CaseRevision",
    "Contribution",
    "ContributionRevision",
    "ExpertRequest",
    "COMMUNITY_ROLES",
    "EMAIL_MODES",
    "FOLLOW_LEVELS",
    "MEMBERSHIP_STATUSES",
    "METHODS",
    "VISIBILITIES",
    "Community",
    "Invitation",
    "Membership",
    "Notification",
    "LOCALES",
    "ORGANISATION_KINDS",
    "PLATFORM_ROLES",
    "USER_STATUSES",
    "AnonymousUser",
    "AuditEvent",
    "Organisation",
    "OrganisationDomain",
    "OutboxMessage",
    "Theme",
    "User",
]
