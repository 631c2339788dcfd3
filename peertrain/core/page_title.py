"""The tab title every page shows: "<page> · PeerTrain", or just "PeerTrain" on a page that
names nothing. Pages fill ``{% block title %}`` with their own name only; base.html adds the
site's name through this filter, because a template can't test whether a block is empty
(``{% if self.title %}`` is Jinja, not Django, and was always false)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeData, SafeString, mark_safe

SITE_NAME = "PeerTrain"
SEPARATOR = " · "

register = template.Library()


@register.filter
def with_site_name(page_title: str) -> SafeString:
    """``page_title`` is the rendered block (already escaped, and kept so: stripping a safe
    string gives a plain one); whitespace around it is the template's layout, not the name."""
    name = page_title.strip()
    if isinstance(page_title, SafeData):
        name = mark_safe(name)  # noqa: S308 - the same escaped text, less its whitespace
    if not name:
        return format_html("{}", SITE_NAME)
    return format_html("{}{}{}", name, SEPARATOR, SITE_NAME)
