from django.conf import settings


def absolute_url(path: str) -> str:
    """A link for an email: messages are read outside the site, so relative paths won't do."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"
