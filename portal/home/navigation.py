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
    NavEntry("Teaching", "trainers:me", lambda roles: roles.is_trainer),
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
    visible = [
        (entry.label, reverse(entry.url_name)) for entry in NAVIGATION if entry.visible_to(roles)
    ]
    active_url = active_nav_url(request.path, [url for _, url in visible])
    return [NavLink(label=label, url=url, active=url == active_url) for label, url in visible]


def active_nav_url(path: str, urls: list[str]) -> str | None:
    """The one entry to mark active: the most specific (longest) URL that ``path`` is under,
    so /trainers/me/ lights "Teaching", not "Trainers" too. Home ("/") only on itself."""
    matches = [url for url in urls if (path == url if url == "/" else path.startswith(url))]
    return max(matches, key=len, default=None)
