"""Every table of MASH Desk. Importing this package registers them all on ``Base.metadata``."""

from db.models.admin import Agency, AuditEvent, Draft, Role, User
from db.models.atlas import AtlasMarker
from db.models.contacts import (
    AgencyCheck,
    Consultation,
    ConsultationPerson,
    Contact,
    ContactPerson,
    DailyMeeting,
    Decision,
    MeetingAction,
    Referrer,
    ReferrerFeedback,
    ThresholdAssessment,
)
from db.models.meeting import MeetingAddendum, MeetingItem
from db.models.edt import EdtEntry, EdtEntryNote, EdtEntryPerson, HandoverAcknowledgement
from db.models.people import (
    Address,
    Household,
    HouseholdMember,
    Person,
    PersonAddress,
    PersonMerge,
    PersonName,
    Relationship,
)
from db.models.returns import CinAssessment, CinEpisode, CinPlan, CpPlan
from db.models.rulesets import RulesetVersion
from db.models.missing import MissingEpisode, MissingUpdate
from db.models.stepdown import StepDown, StepDownEvent
from db.models.strategy import StrategyAction, StrategyAttendee, StrategyChild, StrategyDiscussion

__all__ = [
    "Address", "Agency", "AgencyCheck", "AtlasMarker", "AuditEvent", "CinAssessment", "CinEpisode", "CinPlan",
    "CpPlan", "Consultation", "ConsultationPerson", "Contact",
    "ContactPerson", "DailyMeeting", "Decision", "Draft", "EdtEntry", "EdtEntryNote", "EdtEntryPerson",
    "HandoverAcknowledgement", "Household", "HouseholdMember", "MeetingAction", "MeetingAddendum", "MeetingItem",
    "MissingEpisode", "MissingUpdate", "Person",
    "PersonAddress", "PersonMerge", "PersonName", "Referrer", "ReferrerFeedback", "Relationship",
    "Role", "RulesetVersion", "StepDown", "StepDownEvent", "StrategyAction", "StrategyAttendee", "StrategyChild",
    "StrategyDiscussion", "ThresholdAssessment", "User",
]
