"""Production settings: DEBUG off, a real SECRET_KEY required, HTTPS everywhere."""

from .base import *  # noqa: F403
from .base import SECRET_KEY, env_bool, env_int, require_real_secret_key

DEBUG = env_bool("DEBUG", default=False)
# A real key even if someone turns DEBUG on here: sessions and reset links are signed with it.
require_real_secret_key(SECRET_KEY, debug=False)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# healthz must answer the load balancer over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
