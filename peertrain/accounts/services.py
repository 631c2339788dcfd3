"""State changes to people's own account settings. Each runs in one transaction."""

from django.db import transaction

from peertrain.audit.services import audit_record

from .models import User


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
        audit_record(actor=user, action="accounts.skill_privacy.updated", target=user, data=changes)
    return user
