"""State changes to people's own account settings. Each runs in one transaction."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from peertrain.audit.events import event_record
from peertrain.core.errors import DomainError

from .models import User, validate_time_zone


class ProfileError(DomainError):
    """A profile change refused; ``field`` names the input that was wrong."""


PROFILE_FIELDS = ("display_name", "job_title", "time_zone", "language")


def user_update_profile(
    *, user: User, display_name: str, job_title: str, time_zone: str, language: str
) -> User:
    """Save what a person says about themselves: their name, job title, the time zone every
    time is shown in, and the language pages are in. All of it or nothing.

    Audited with the fields that changed (old and new values), only when something did.
    """
    values = {
        "display_name": display_name.strip(),
        "job_title": job_title.strip(),
        "time_zone": time_zone.strip(),
        "language": language,
    }
    _check_profile(values)
    changes = {name: value for name, value in values.items() if getattr(user, name) != value}
    if not changes:
        return user
    with transaction.atomic():
        before = {name: getattr(user, name) for name in changes}
        for name, value in changes.items():
            setattr(user, name, value)
        user.save(update_fields=list(changes))
        event_record(
            actor=user,
            code="accounts.profile.updated",
            target=user,
            payload={"changed": {name: [before[name], changes[name]] for name in changes}},
        )
    return user


def _check_profile(values: dict[str, str]) -> None:
    for name in ("display_name", "job_title", "time_zone"):
        limit = User.text_limit(name)
        if len(values[name]) > limit:
            raise ProfileError(f"Keep this to {limit} characters or fewer.", field=name)
    try:
        validate_time_zone(values["time_zone"])
    except ValidationError:
        raise ProfileError(
            f"“{values['time_zone']}” is not a time zone we know. Pick one from the list, "
            "e.g. Europe/London or America/New_York.",
            field="time_zone",
        ) from None
    if values["language"] not in dict(settings.LANGUAGES):
        raise ProfileError("Choose one of the languages listed.", field="language")


def user_update_skill_privacy(
    *, user: User, share_skill_levels: bool, suggest_me_as_teacher: bool
) -> User:
    """Save who may see a person's skill levels and whether colleagues are pointed to them.

    Audited only when something changed, so saving the same choice twice leaves one row.
    """
    changes = {
        name: value
        for name, value in {
            "share_skill_levels": bool(share_skill_levels),
            "suggest_me_as_teacher": bool(suggest_me_as_teacher),
        }.items()
        if getattr(user, name) != value
    }
    if not changes:
        return user
    with transaction.atomic():
        for name, value in changes.items():
            setattr(user, name, value)
        user.save(update_fields=list(changes))
        event_record(
            actor=user, code="accounts.skill_privacy.updated", target=user, payload=changes
        )
    return user


# --- Whose address is proven ---------------------------------------------------------------
# allauth records an address (an EmailAddress row) whenever a person signs up, adds an address
# or is created by single sign-on, and marks it verified once proven. Accounts that L&D, an
# administrator or a script made (the admin, seed_demo, createsuperuser) have no row for their
# address: the organisation typed it, so it counts as proven. allauth would otherwise treat
# it as unverified -- locking these people behind "Verify your email address" once sign-up
# opens, and wiping their password at their first single sign-on.


def user_address_vouch(*, user: User) -> bool:
    """Record the address the organisation gave an account as verified, if no row exists for
    it yet. Answers whether it recorded one. Migration 0005 did this for every account then."""
    email = user.email.lower()
    if EmailAddress.objects.filter(user=user, email__iexact=email).exists():
        return False
    if EmailAddress.objects.filter(email__iexact=email, verified=True).exists():
        return False  # someone else proved this address: it is theirs, not the account's
    with transaction.atomic():
        EmailAddress.objects.filter(user=user, primary=True).update(primary=False)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        event_record(actor=None, code="accounts.address.vouched", target=user, payload={})
    return True


def user_address_confirm_by_provider(
    *, user: User, email: str, provider: str, linking: bool
) -> None:
    """The company's identity provider vouched for ``email``, the account's own address.

    ``linking`` is the first sign-in that connects this identity to the account by its
    address. If the account's row for that address exists unverified, whoever chose its
    password never proved the address (a self sign-up never confirmed, perhaps by someone
    else): the password goes, as allauth would do, so it can't be used next to the real
    owner's sign-in. Accounts the organisation made, or that proved their address, keep it.
    """
    email = email.lower()
    if EmailAddress.objects.filter(email__iexact=email, verified=True).exclude(user=user).exists():
        return  # another account proved this address: leave the dispute to L&D
    with transaction.atomic():
        row = EmailAddress.objects.filter(user=user, email__iexact=email).first()
        if row is not None and row.verified:
            return
        wipe = linking and row is not None and user.has_usable_password()
        if wipe:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        if row is None:
            EmailAddress.objects.filter(user=user, primary=True).update(primary=False)
            row = EmailAddress(user=user, email=email, primary=True)
        row.verified = True
        row.save()
        event_record(
            actor=user,
            code="accounts.address.confirmed_by_provider",
            target=user,
            payload={"provider": provider, "password_removed": wipe},
        )
