"""The site's URLs plus a view that raises, for tests/core/test_domain_errors.py."""

from django.http import HttpResponse
from django.urls import path

from peertrain.core.errors import DomainError
from peertrain.urls import urlpatterns as site_urlpatterns


class Refused(DomainError):
    status_code = 409


class Busy(DomainError):
    status_code = 503
    retry_after = 7


ERRORS = {
    "refused": lambda: Refused("That can't happen <b>twice</b>."),
    "busy": lambda: Busy("Too busy right now."),
    "bad": lambda: DomainError("Not a good value.", field="name"),
    "bug": lambda: ValueError("a bug"),
}


def raising(request, kind: str) -> HttpResponse:
    raise ERRORS[kind]()


urlpatterns = [path("raise/<str:kind>/", raising), *site_urlpatterns]
