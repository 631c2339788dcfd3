"""A kind's templates rendered for one reader: in their language and their time zone.

Messages are written while someone else acts (a trainer moves a session, a colleague frees a
seat, the reminder task runs), so the language and time zone active at that moment are not
the reader's: rendering switches to the reader's own (``translation.override``,
``timezone.override``), and every date a template shows reads in the reader's zone.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template import Context, TemplateDoesNotExist, engines
from django.urls import reverse
from django.utils import timezone, translation

from peertrain.accounts.models import User
from peertrain.core.links import absolute_url
from peertrain.core.text import one_line
from peertrain.core.timezones import zone_named

from .kinds import Kind


@dataclass(frozen=True)
class Rendered:
    subject: str  # one line
    text: str
    html: str  # empty when the kind has no body.html


def language_of(recipient: User | None) -> str:
    """The language a person reads messages in: the one on their profile, never the language
    of whoever's request caused the message."""
    return recipient.reading_language if recipient is not None else settings.LANGUAGE_CODE


def zone_of(recipient: User | None):
    zone = zone_named(recipient.time_zone) if recipient is not None else None
    return zone or timezone.get_default_timezone()


def _template(name: str):
    return engines["django"].engine.get_template(name)  # type: ignore[attr-defined]


def _render(name: str, context: dict[str, Any], *, autoescape: bool) -> str:
    return _template(name).render(Context(context, autoescape=autoescape)).strip()


def _has_html(folder: str) -> bool:
    try:
        _template(f"{folder}/body.html")
    except TemplateDoesNotExist:
        return False
    return True


def render(kind: Kind, *, recipient: User | None, context: dict[str, Any]) -> Rendered:
    """``kind``'s subject, text and HTML for ``recipient``. Text templates are rendered
    without HTML escaping (a title "Q&A" stays "Q&A"); the HTML one escapes as pages do."""
    folder = kind.template_folder
    full = {
        "recipient": recipient,
        "site_name": settings.SITE_NAME,
        "site_url": absolute_url("/"),
        "preferences_url": absolute_url(reverse("notifications:preferences")),
        **context,
    }
    with translation.override(language_of(recipient)), timezone.override(zone_of(recipient)):
        subject = one_line(_render(f"{folder}/subject.txt", full, autoescape=False))
        text = _render(f"{folder}/body.txt", full, autoescape=False)
        html = _render(f"{folder}/body.html", full, autoescape=True) if _has_html(folder) else ""
    return Rendered(subject=subject, text=text, html=html)
