from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from .models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request a view behind ``login_required`` gets: its user is signed in.

    Only a type: annotating such a view's request with it tells the type checker what the
    decorator guarantees, so ``request.user`` is a ``User`` there, not ``AnonymousUser``.
    """

    user: User
    htmx: HtmxDetails
