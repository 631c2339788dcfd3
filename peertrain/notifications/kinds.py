"""The catalogue of notification kinds: every message PeerTrain sends is of a declared kind.

Each app declares its kinds once, in its ``notifications.py`` (imported at start-up, like
``events.py``), with ``declare_kinds(Kind(...))``: the dotted code, the label people see on
their preferences page, and whether they may switch it off. Transactional messages (a seat
given to you, a session cancelled, a password reset) are ``optional=False``: they are sent
whatever the person's preferences say. ``docs/notifications.md`` lists every kind.

A kind's templates are ``templates/notifications/<code>/`` (``subject.txt``, ``body.txt``,
``body.html``); ``templates=`` names another folder under ``notifications/`` when a family
of kinds renders someone else's templates (allauth's account mails).
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import autodiscover_modules

CODE = re.compile(r"^[a-z][a-z_]*(\.[a-z0-9][a-z0-9_]*)+$")  # app.thing[.what]


class UnknownKind(LookupError):
    """A kind nobody declared: a typo, or a declaration missing from ``<app>/notifications.py``.
    A programming error, so it is raised, never swallowed."""


@dataclass(frozen=True)
class Kind:
    code: str
    label: str  # what the preferences page calls it
    optional: bool  # may people switch it off?
    sensitive: bool = False  # carries a one-time link: the stored body is wiped once sent
    templates: str = ""  # folder under templates/notifications/; the code when empty
    only_on: tuple[str, ...] = ()  # channels it may go on (all when empty)

    @property
    def template_folder(self) -> str:
        return f"notifications/{self.templates or self.code}"


_catalogue: dict[str, Kind] = {}
_discovered = False


def declare_kinds(*kinds: Kind) -> None:
    """Add kinds to the catalogue. Declaring the same kind again changes nothing; declaring
    a code twice, differently, is refused."""
    for kind in kinds:
        if not CODE.match(kind.code):
            raise ImproperlyConfigured(f"{kind.code!r} is not a dotted app.thing code.")
        if _catalogue.get(kind.code, kind) != kind:
            raise ImproperlyConfigured(f"Notification kind {kind.code} is declared twice.")
        _catalogue[kind.code] = kind


def discover() -> None:
    """Import every installed app's ``notifications`` module once."""
    global _discovered
    if not _discovered:
        _discovered = True
        autodiscover_modules("notifications")


def kinds() -> dict[str, Kind]:
    discover()
    return dict(_catalogue)


def kind_named(code: str) -> Kind:
    kind = _catalogue.get(code) or kinds().get(code)
    if kind is None:
        raise UnknownKind(f"{code!r} is not a declared notification kind (<app>/notifications.py).")
    return kind
