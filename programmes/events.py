"""What programmes tells higher apps happened (the catalogue: docs/events.md)."""

from typing import TypedDict

from peertrain.audit.events import ON_BEHALF, EventSpec, declare


class AssessmentRecorded(TypedDict):
    user: int  # whose level
    skill: str  # slug
    level: int
    source: str  # self, lead, trainer, peer


class TargetSet(TypedDict):
    team: int
    skill: str
    level: int
    priority: int
    created: bool


class TargetRemoved(TypedDict):
    team: int
    skill: str


class ProgrammeSaved(TypedDict):
    status: str


class ProgrammeDeleted(TypedDict):
    title: str  # the row is gone; the audit keeps what it was called
    status: str


class SkillChanged(TypedDict):
    skill: str  # slug


declare(
    EventSpec(
        "programmes.skill.created",
        payload=SkillChanged,
        audited=True,
        doc="A skill was added.",
    ),
    EventSpec(
        "programmes.skill.updated",
        payload=SkillChanged,
        audited=True,
        doc="A skill's name, slug, category or description changed.",
    ),
    EventSpec(
        "programmes.skill.deleted",
        payload=SkillChanged,
        audited=True,
        doc="A skill was deleted with its levels and targets (the event comes first).",
    ),
    EventSpec(
        "programmes.assessment.recorded",
        payload=AssessmentRecorded,
        audited=ON_BEHALF,
        doc="A level was recorded: by the person (self) or verified by a lead or trainer.",
    ),
    EventSpec(
        "programmes.target.set",
        payload=TargetSet,
        audited=True,
        doc="A team's target level for a skill was set or changed.",
    ),
    EventSpec(
        "programmes.target.removed",
        payload=TargetRemoved,
        audited=True,
        doc="A team no longer targets a skill.",
    ),
    EventSpec(
        "programmes.programme.created",
        payload=ProgrammeSaved,
        audited=True,
        doc="A programme was created.",
    ),
    EventSpec(
        "programmes.programme.updated",
        payload=ProgrammeSaved,
        audited=True,
        doc="A programme's details, skills or audience changed.",
    ),
    EventSpec(
        "programmes.programme.deleted",
        payload=ProgrammeDeleted,
        audited=True,
        doc="A programme was deleted (the event comes before the row is deleted).",
    ),
)
