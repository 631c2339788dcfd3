from django.db import transaction

from peertrain.accounts.models import User
from peertrain.audit.events import event_record

from ..models import CalendarFeed, new_secret


def calendar_feed_for(*, user: User) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return feed


def calendar_feed_reset(*, user: User) -> CalendarFeed:
    """Give the feed a new secret URL; the old one stops working at once."""
    with transaction.atomic():
        feed, _ = CalendarFeed.objects.select_for_update().get_or_create(user=user)
        feed.token = new_secret()
        feed.save(update_fields=["token", "created_at"])
        event_record(actor=user, code="training.calendar_feed.reset", target=feed)
    return feed
