"""What trainers tells higher apps happened (the catalogue: docs/events.md)."""

from typing import TypedDict

from peertrain.audit.events import EventSpec, declare


class NominationRecorded(TypedDict):
    user: int
    skill: str
    created: bool  # a new trainer profile (False: already on the programme)
    status: str


class CertificationChanged(TypedDict):
    trainer: int  # the trainer's user id
    skill: str
    expires_at: str | None  # ISO 8601


class ProfileSaved(TypedDict):
    user: int
    status: str


declare(
    EventSpec(
        "trainers.nomination.recorded",
        payload=NominationRecorded,
        audited=True,
        doc="Someone was put forward as a trainer for a skill.",
    ),
    EventSpec(
        "trainers.certification.issued",
        payload=CertificationChanged,
        audited=True,
        doc="A trainer was certified to teach a skill.",
    ),
    EventSpec(
        "trainers.certification.changed",
        payload=CertificationChanged,
        audited=True,
        doc="A certification's skill or expiry changed.",
    ),
    EventSpec(
        "trainers.certification.revoked",
        payload=CertificationChanged,
        audited=True,
        doc="A certification was withdrawn (the event comes before the row is deleted).",
    ),
    EventSpec(
        "trainers.profile.created",
        payload=ProfileSaved,
        audited=True,
        doc="A trainer profile was made in the admin.",
    ),
    EventSpec(
        "trainers.profile.changed",
        payload=ProfileSaved,
        audited=True,
        doc="A trainer's status, cap or bio changed.",
    ),
    EventSpec(
        "trainers.profile.deleted",
        payload=ProfileSaved,
        audited=True,
        doc="Someone was taken off the trainer programme (their certifications revoked first).",
    ),
)
