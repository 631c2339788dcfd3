"""Where to send someone back to after a form: the page they came from, if it is ours.

Every ``next`` (or other redirect target) read from a request goes through here: our forms
and views through ``safe_next_url``, allauth's sign-in, sign-out and sign-up through the
account adapter's ``is_safe_url``, the admin's sign-in and sign-out through allauth's.
"""

import unicodedata

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def local_path(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None.

    Only a path with a single leading slash passes. ``abc``, ``0`` or ``-1`` would be taken
    for a view name by ``redirect()`` (a 500) or resolved against the current page;
    ``//host`` and ``/\\host`` are another site to a browser; and browsers drop tabs and line
    breaks from a URL (``/\\t/host`` is ``//host``), so whitespace and control characters
    anywhere refuse it too. An absolute URL, even to this site, never passes.
    """
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if any(char.isspace() or unicodedata.category(char)[0] == "C" for char in target):
        return None
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return None
    return target


def safe_next_url(request: HttpRequest, fallback: str) -> str:
    """The ``next`` the request carries (posted, else in the query string) when it is a path
    on this site, else ``fallback``."""
    target = request.POST.get("next") or request.GET.get("next", "")
    return local_path(target) or fallback
