"""The main navigation, in one place: each entry names who may see it."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from .roles import Roles, request_roles


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    visible_to: Callable[[Roles], bool]
    # Pages elsewhere that belong to this entry (a trainer's profile to "Teaching").
    also_under: tuple[str, ...] = ()


NAVIGATION = [
    NavEntry("Home", "home", lambda roles: roles.is_employee),
    NavEntry("Sessions", "training:list", lambda roles: roles.is_employee),
    NavEntry("My skills", "skills:mine", lambda roles: roles.is_employee),
    NavEntry("Programmes", "programmes:list", lambda roles: roles.is_employee),
    NavEntry("Trainers", "trainers:directory", lambda roles: roles.is_employee),
    NavEntry("My team", "accounts:my_team", lambda roles: roles.is_team_lead),
    NavEntry(
        "Skills matrix", "skills:matrix", lambda roles: roles.is_team_lead or roles.is_ld_staff
    ),
    NavEntry("Teaching", "teaching", lambda roles: roles.is_trainer, also_under=("trainers:me",)),
    NavEntry("Gaps", "skills:gaps", lambda roles: roles.is_ld_staff),
    NavEntry("Demand", "training:demand", lambda roles: roles.is_ld_staff),
    NavEntry("Admin", "admin:index", lambda roles: roles.is_ld_staff),
]


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    active: bool


def navigation_for(request: HttpRequest) -> list[NavLink]:
    roles = request_roles(request)
    visible = [entry for entry in NAVIGATION if entry.visible_to(roles)]
    # Each URL that lights an entry: its own, and the pages it also covers.
    owner = {reverse(entry.url_name): entry for entry in visible}
    owner |= {reverse(name): entry for entry in visible for name in entry.also_under}
    active = owner.get(active_nav_url(request.path, list(owner)) or "")
    return [
        NavLink(label=entry.label, url=reverse(entry.url_name), active=entry is active)
        for entry in visible
    ]


def active_nav_url(path: str, urls: list[str]) -> str | None:
    """The one entry to mark active: the most specific (longest) URL that ``path`` is under,
    so /trainers/me/ lights "Teaching" (which covers it), not "Trainers" too. Home ("/")
    only on itself."""
    matches = [url for url in urls if (path == url if url == "/" else path.startswith(url))]
    return max(matches, key=len, default=None)
