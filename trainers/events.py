"""What trainers tells higher apps happened (the catalogue: docs/events.md)."""

from typing import TypedDict

from peertrain.audit.events import EventSpec, declare


class NominationChanged(TypedDict):
    nominee: int
    skill: str  # the skill's slug


class NominationMade(NominationChanged):
    self_nominated: bool


class NominationAccepted(NominationChanged):
    status: str  # the nominee's trainer status afterwards


class NominationDeclined(NominationChanged):
    by_nominee: bool  # False: L&D declined it
    reason: str


# "from" is a keyword, hence the functional form.
StatusChanged = TypedDict("StatusChanged", {"user": int, "from": str, "to": str, "reason": str})


class CertificationChanged(TypedDict):
    trainer: int  # the trainer's user id
    skill: str
    expires_at: str | None  # ISO 8601


class BioUpdated(TypedDict):
    user: int
    length_before: int  # characters; the text itself stays on the profile
    length: int


class ProfileSaved(TypedDict):
    user: int
    status: str


declare(
    EventSpec(
        "trainers.nomination.made",
        payload=NominationMade,
        audited=True,
        doc="Someone put a colleague (or themselves) forward to teach a skill, with a reason.",
    ),
    EventSpec(
        "trainers.nomination.agreed",
        payload=NominationChanged,
        audited=True,
        doc="A nominee said yes to being considered as a trainer.",
    ),
    EventSpec(
        "trainers.nomination.accepted",
        payload=NominationAccepted,
        audited=True,
        doc="L&D accepted a nominee as a candidate trainer for the skill.",
    ),
    EventSpec(
        "trainers.nomination.declined",
        payload=NominationDeclined,
        audited=True,
        doc="The nominee or L&D declined a nomination; it isn't offered again for a while.",
    ),
    EventSpec(
        "trainers.nomination.withdrawn",
        payload=NominationChanged,
        audited=True,
        doc="Whoever made a nomination withdrew it while it was open.",
    ),
    EventSpec(
        "trainers.profile.status_changed",
        payload=StatusChanged,
        audited=True,
        doc="A trainer's status moved along a legal transition (trainers.transitions).",
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
        "trainers.profile.bio_updated",
        payload=BioUpdated,
        audited=True,
        doc="A trainer changed the bio the directory shows.",
    ),
    EventSpec(
        "trainers.profile.deleted",
        payload=ProfileSaved,
        audited=True,
        doc="Someone was taken off the trainer programme (their certifications revoked first).",
    ),
)
