"""The one domain error, and the one place that turns it into a response.

A service that refuses raises a ``DomainError`` (or an app's subclass) with a message for
people and, when the refusal is about one input, that input's ``field``. A view that wants
to show its form again catches ``DomainError`` and calls ``form_error``; any other view lets
it propagate, and ``DomainErrorMiddleware`` answers with a 4xx page (or, for htmx, a small
alert). Nothing here turns a refusal into a 500.
"""

import logging
from urllib.parse import urlsplit

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from .redirects import local_path, safe_next_url

# Where base.html shows an alert an htmx request answered with: the element the request
# targeted (a booking panel, an attendance row) stays as it was.
HTMX_ERROR_TARGET = "#domain-error"
logger = logging.getLogger(__name__)


class DomainError(Exception):
    """An action the domain refuses; ``message`` is for people.

    ``status_code`` is the HTTP answer (400: the input was wrong; subclasses say 409 for an
    action refused in the current state, 429, 503 …); ``retry_after`` (seconds), when set, is
    sent as Retry-After. ``field`` names the input the message is about, if any.
    """

    status_code: int = 400
    retry_after: int | None = None

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def form_error(form: forms.Form, error: DomainError) -> int:
    """Show ``error`` on ``form``: beside ``error.field`` when the form has that input
    (a form may map service field names to its own in ``domain_error_fields``), otherwise
    above the form. Returns the status to answer with: the error's own, except that an
    action refused in its current state (409) is, beside one of the inputs just sent, a
    wrong input (400). A 403, 404 or 429 stands wherever it shows."""
    field = getattr(form, "domain_error_fields", {}).get(error.field, error.field)
    if field in form.fields:
        form.add_error(field, error.message)
        return 400 if error.status_code == 409 else error.status_code
    form.add_error(None, error.message)
    return error.status_code


def domain_error_response(
    request: HttpRequest, error: DomainError, *, back: str | None = None
) -> HttpResponse:
    """The page (or, for htmx, the alert) that says what was refused and that nothing
    changed. Its way back: the request's ``next`` if it is ours, else ``back``, else the
    page the person came from."""
    if getattr(request, "htmx", False):
        response = render(request, "errors/_domain_error.html", {"error": error})
        response["HX-Retarget"] = HTMX_ERROR_TARGET
        response["HX-Reswap"] = "innerHTML"
    else:
        context = {"error": error, "back": safe_next_url(request, back or _came_from(request))}
        response = render(request, "errors/domain_error.html", context)
    response.status_code = error.status_code
    if error.retry_after is not None:
        response["Retry-After"] = str(error.retry_after)
    return response


def _came_from(request: HttpRequest) -> str:
    """The page the person was on (the Referer, when it is ours), else home."""
    referer = urlsplit(request.headers.get("Referer", ""))
    if referer.netloc and referer.netloc != request.get_host():
        return reverse("home")
    path = referer.path + (f"?{referer.query}" if referer.query else "")
    return local_path(path) or reverse("home")


class DomainErrorMiddleware:
    """A ``DomainError`` a view lets through becomes its 4xx answer (never a 500)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError):
            return None
        if exception.status_code >= 500:  # our fault (a failing event handler): say where
            logger.error("%s %s: %s", request.method, request.path, exception, exc_info=exception)
        return domain_error_response(request, exception)
