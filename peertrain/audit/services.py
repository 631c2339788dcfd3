from django.contrib.contenttypes.models import ContentType
from django.db import models

from peertrain.accounts.models import User

from .models import AuditEvent


def audit_record(
    *, actor: User | None, action: str, target: models.Model | None = None, data: dict | None = None
) -> AuditEvent:
    """Record an action in the caller's transaction (so a rolled-back action leaves no trace)."""
    event = AuditEvent(actor=actor, action=action, data=data or {})
    if target is not None:
        event.content_type = ContentType.objects.get_for_model(target)
        event.object_id = str(target.pk)
    event.save()
    return event
