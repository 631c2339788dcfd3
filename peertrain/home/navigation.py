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
    links = []
    for entry in NAVIGATION:
        if not entry.visible_to(roles):
            continue
        url = reverse(entry.url_name)
        active = request.path == url if url == "/" else request.path.startswith(url)
        links.append(NavLink(label=entry.label, url=url, active=active))
    return links
