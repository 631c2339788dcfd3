"""The messages the trainers app sends (the catalogue: docs/notifications.md). Templates:
templates/notifications/<code>/."""

from peertrain.notifications.kinds import Kind, declare_kinds

declare_kinds(
    # A trainer must hear that they are about to stop being allowed to teach.
    Kind(
        "trainers.certification.expiring",
        "Your certification to teach a skill expires soon",
        optional=False,
    ),
    Kind(
        "trainers.certification.expiring_ld",
        "L&D: a trainer's certification expires soon",
        optional=True,
    ),
    # The nominee is asked a question they should answer, and told the decision about them.
    Kind(
        "trainers.nomination.received",
        "A colleague nominated you to teach a skill",
        optional=False,
    ),
    Kind(
        "trainers.nomination.accepted",
        "L&D accepted you as a candidate trainer",
        optional=False,
    ),
    Kind(
        "trainers.nomination.declined",
        "L&D declined a nomination of you to teach",
        optional=False,
    ),
    Kind(
        "trainers.nomination.outcome",
        "What became of a colleague you nominated to teach",
        optional=True,
    ),
)
