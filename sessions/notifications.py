"""The messages the training app sends (the catalogue: docs/notifications.md). Templates:
templates/notifications/<code>/."""

from peertrain.notifications.kinds import Kind, declare_kinds

declare_kinds(
    # Receipts of what people did or what was done for them: always sent.
    Kind("training.booking.confirmed", "You booked a seat", optional=False),
    Kind("training.booking.waitlisted", "You joined a waitlist", optional=False),
    Kind("training.booking.by_lead", "Your team lead booked you on a session", optional=False),
    Kind("training.booking.promoted", "A seat was given to you from the waitlist", optional=False),
    Kind("training.session.changed", "A session you're booked on moved", optional=False),
    Kind("training.session.cancelled", "A session you're booked on was cancelled", optional=False),
    Kind("training.cotrainer.invited", "You're invited to co-teach a session", optional=False),
    Kind("training.cotrainer.withdrawn", "An invitation to co-teach was withdrawn", optional=False),
    Kind("training.cotrainer.removed", "You no longer co-teach a session", optional=False),
    # L&D must decide what happens to these sessions.
    Kind(
        "training.session.trainer_lapsed",
        "L&D: published sessions whose trainer may no longer teach the skill",
        optional=False,
    ),
    # News people may do without.
    # One set of templates for both reminders, which differ only in how soon.
    Kind(
        "training.reminder.24h",
        "Reminder the day before a session",
        optional=True,
        templates="training.reminder",
    ),
    Kind(
        "training.reminder.1h",
        "Reminder an hour before a session",
        optional=True,
        templates="training.reminder",
    ),
    Kind(
        "training.seat.offered",
        "A seat came free on a session you're waiting for",
        optional=True,
    ),
    Kind(
        "training.demand.session_published",
        "New sessions for skills you asked to learn",
        optional=True,
    ),
    Kind("training.feedback.requested", "Feedback requests after a session", optional=True),
    Kind(
        "training.cotrainer.accepted",
        "A colleague accepted your invitation to co-teach",
        optional=True,
    ),
    Kind(
        "training.cotrainer.declined",
        "A colleague declined your invitation to co-teach",
        optional=True,
    ),
)
