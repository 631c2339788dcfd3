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
)
