"""What accounts tells other apps happened (the catalogue: docs/events.md)."""

from typing import TypedDict

from peertrain.audit.events import EventSpec, declare


class SkillPrivacyUpdated(TypedDict, total=False):
    share_skill_levels: bool  # only the choices that changed
    suggest_me_as_teacher: bool


class ProfileUpdated(TypedDict):
    changed: dict[str, list[str]]  # field -> [before, after], only the fields that changed


class NoPayload(TypedDict):
    pass


class AddressConfirmedByProvider(TypedDict):
    provider: str
    password_removed: bool


declare(
    EventSpec(
        "accounts.profile.updated",
        payload=ProfileUpdated,
        audited=True,
        doc="A person changed their display name, job title, time zone or language.",
    ),
    EventSpec(
        "accounts.skill_privacy.updated",
        payload=SkillPrivacyUpdated,
        audited=True,
        doc="A person changed who may see their levels or suggest them as a teacher.",
    ),
    EventSpec(
        "accounts.address.vouched",
        payload=NoPayload,
        audited=True,
        doc="An account's address, typed by the organisation, was recorded as proven.",
    ),
    EventSpec(
        "accounts.address.confirmed_by_provider",
        payload=AddressConfirmedByProvider,
        audited=True,
        doc="The company's identity provider vouched for an account's address.",
    ),
)
