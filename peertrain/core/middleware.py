import logging

from django.conf import settings

from .db import connection_lost
from .views import database_unavailable

logger = logging.getLogger(__name__)


class ContentSecurityPolicyMiddleware:
    """Send the site's Content-Security-Policy: scripts and styles from our origin only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class DatabaseUnavailableMiddleware:
    """A view whose database connection dropped answers 503 "try again" instead of 500.

    Only a lost connection (``peertrain.core.db.connection_lost``): any other database
    error is a bug and stays a 500. What the view wrote in its open transaction was rolled
    back with the connection; ``CONN_HEALTH_CHECKS`` reconnects on the next request. Errors
    raised outside the view (a middleware's query) reach ``handler500``, which answers the
    same way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not connection_lost(exception):
            return None
        logger.warning(
            "Database connection lost during %s %s: %s", request.method, request.path, exception
        )
        return database_unavailable(request)
