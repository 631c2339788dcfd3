"""Settings shared by every environment. Values come from the environment only.

With neither ``DATABASE_URL`` nor ``REDIS_URL`` set, PeerTrain runs on the embedded
default: SQLite in WAL mode and Celery on kombu's filesystem transport under ``var/``,
so ``make run`` needs no server.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from peertrain.core.ratelimit import parse_rates
from peertrain.run_address import (
    DEFAULT_ADDRESS,
    AddressError,
    allowed_hosts_for,
    parse_address,
    site_url_for,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Where the embedded default keeps its data (SQLite, the filesystem broker, beat's state,
# uploads, collected static files). A test of `make run` points it at a temporary folder.
VAR_DIR = Path(os.environ.get("PEERTRAIN_VAR_DIR") or BASE_DIR / "var")

env = environ.Env()


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list; a malformed value fails loudly with the variable's name."""
    try:
        return [item.strip() for item in env.list(name, default=default) if item.strip()]
    except Exception as exc:  # environ raises several types for bad input
        raise ImproperlyConfigured(f"{name} must be a comma-separated list: {exc}") from exc


def env_bool(name: str, *, default: bool) -> bool:
    raw = env.str(name, default="")
    if raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true/false (or 1/0), not {raw!r}")


def env_int(name: str, *, default: int) -> int:
    raw = env.str(name, default="")
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def env_rates(name: str, *, default: str, scopes: set[str] | None = None) -> str:
    """Rate limits in allauth's notation (``10/m/ip,5/300s/key``), checked at start-up; with
    ``scopes``, one rate per scope at least."""
    value = env.str(name, default=default)
    found = {rate.per for rate in parse_rates(value, setting=name, scopes=scopes or ())}
    if scopes and found != scopes:
        missing = " and ".join(f"/{scope}" for scope in sorted(scopes - found))
        raise ImproperlyConfigured(f"{name} needs a rate ending in {missing} as well")
    return value


INSECURE_KEY_PREFIX = "insecure-"


def require_real_secret_key(secret_key: str | None, *, debug: bool) -> None:
    """Refuse to start in production mode with a missing or development key."""
    if debug:
        return
    if (
        not secret_key
        or secret_key.startswith((INSECURE_KEY_PREFIX, "django-insecure-"))
        or len(secret_key) < 50
    ):
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random value of at least 50 characters when "
            "DEBUG is off (generate one with: python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))')."
        )


DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
# Where `make run` serves (peertrain/launcher.py); the two defaults below follow it, in
# every process it starts (emails linked to port 8000 when it served on 8001).
try:
    RUN_ADDRESS = parse_address(env.str("RUN_ADDRESS", default="") or DEFAULT_ADDRESS)
except AddressError as exc:
    raise ImproperlyConfigured(str(exc)) from exc
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=allowed_hosts_for(RUN_ADDRESS))
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_NAME = "PeerTrain"
# Where people reach the site; links in emails start with it.
SITE_URL = env.str("SITE_URL", default=site_url_for(RUN_ADDRESS))

INSTALLED_APPS = [
    "peertrain.core.admin_inputs.PeerTrainAdminConfig",  # the admin, with our input rules
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.microsoft",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "peertrain.accounts",
    "peertrain.notifications",
    "peertrain.audit",
    "programmes",
    "trainers",
    "sessions",
    # The top layer: composition that reads the apps listed before it; none of them imports it.
    "portal.home",
    "portal.demo",
    "portal.devtools",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "peertrain.core.middleware.ContentSecurityPolicyMiddleware",
    # A view whose database connection dropped answers 503 "try again", not 500.
    "peertrain.core.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed for phones (a large team's matrix is 1.6 MB of HTML, ~20x smaller
    # gzipped); below WhiteNoise, which serves static files compressed already. Django pads
    # each gzip response with random bytes against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "peertrain.accounts.middleware.UserTimezoneMiddleware",
    "peertrain.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "peertrain.accounts.middleware.SingleSignOnUnavailableMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A DomainError a view lets through becomes a 4xx page or htmx alert, never a 500.
    "peertrain.core.errors.DomainErrorMiddleware",
]

ROOT_URLCONF = "peertrain.urls"
WSGI_APPLICATION = "peertrain.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.home.context_processors.navigation",
                "peertrain.accounts.context_processors.single_sign_on",
            ],
            # peertrain.core is no app of its own, so its template filters are named here.
            "libraries": {"page_title": "peertrain.core.page_title"},
        },
    },
]

# --- Database: PostgreSQL from DATABASE_URL, else embedded SQLite -----------------------
DATABASE_URL = env.str("DATABASE_URL", default="")
if DATABASE_URL:
    try:
        DATABASES = {"default": env.db_url_config(DATABASE_URL)}
    except Exception as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
    if not DATABASES["default"].get("ENGINE"):
        raise ImproperlyConfigured(
            "DATABASE_URL is not a valid database URL (expected postgres://user@host:5432/name)"
        )
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", default=60)
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # No request waits long on a row lock: past this, PostgreSQL gives up and the
        # caller answers "busy, try again" (bookings under overload) instead of hanging.
        lock_timeout_ms = env_int("DB_LOCK_TIMEOUT_MS", default=1000)
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
            f"-c lock_timeout={lock_timeout_ms}"
        )
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    VAR_DIR.mkdir(exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "peertrain.sqlite3",
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so two writers queue on
                # busy_timeout instead of failing with "database is locked" mid-transaction.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Broker and cache: Redis from REDIS_URL, else filesystem broker + local memory ------
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_CONNECT_TIMEOUT = 0.5  # seconds; a request must never hang on the broker
# Also for every answer: a Redis that accepts connections but never answers (hung, SIGSTOP,
# a half-open connection) held each publishing request for the whole timeout (it was 5 s, and
# every gunicorn worker stalled). The Celery worker waits 5 s instead (peertrain/celery.py);
# its BRPOP waits in its event loop, where no socket timeout applies, but its
# acknowledgements and the rest do time out while Redis hangs.
BROKER_SOCKET_TIMEOUT = 0.5
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        "socket_connect_timeout": CELERY_BROKER_CONNECT_TIMEOUT,
        "socket_timeout": BROKER_SOCKET_TIMEOUT,
        # A publish tries twice, at once, then gives up: a request never sleeps on a dead
        # broker (kombu's default backs off for seconds). The outbox relay retries later.
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.2,
        # Tasks outlive a worker crash: unacked messages come back after this.
        "visibility_timeout": 3600,
    }
    CACHES = {
        "default": {
            "BACKEND": "peertrain.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "peertrain",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CELERY_FILESYSTEM_DIR = VAR_DIR / "celery"
    for folder in ("queue", "processed", "control"):
        (CELERY_FILESYSTEM_DIR / folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://localhost//"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_FILESYSTEM_DIR / "queue"),
        "data_folder_out": str(CELERY_FILESYSTEM_DIR / "queue"),
        "processed_folder": str(CELERY_FILESYSTEM_DIR / "processed"),
        "control_folder": str(CELERY_FILESYSTEM_DIR / "control"),
        "store_processed": False,
        # The worker looks at the folder again this often while its slots are full or the
        # queue is empty. kombu's 1 s capped a worker at about one message per second per
        # slot: 200 booking emails took 84 s to go out after a rush on `make run`.
        "polling_interval": 0.1,
    }
    CACHES = {"default": {"BACKEND": "peertrain.core.cache.LocalMemoryCache"}}

CELERY_BROKER_CONNECTION_TIMEOUT = CELERY_BROKER_CONNECT_TIMEOUT
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- Auth and sign-in -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "peertrain.accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"login": "peertrain.accounts.forms.LoginForm"}
SOCIALACCOUNT_ADAPTER = "peertrain.accounts.adapters.SocialAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PREVENT_ENUMERATION = True
# Self sign-up is closed unless the company's email domains are listed here.
ACCOUNT_ALLOWED_SIGNUP_DOMAINS = [
    domain.lower().lstrip("@") for domain in env_list("ACCOUNT_ALLOWED_SIGNUP_DOMAINS", [])
]
# With sign-up open, the address must be proven before the account can sign in: the
# domain check alone would let anyone claim a colleague's (or a new hire's) address.
ACCOUNT_EMAIL_VERIFICATION = env.str(
    "ACCOUNT_EMAIL_VERIFICATION",
    default="mandatory" if ACCOUNT_ALLOWED_SIGNUP_DOMAINS else "optional",
)
if ACCOUNT_EMAIL_VERIFICATION not in {"none", "optional", "mandatory"}:
    raise ImproperlyConfigured("ACCOUNT_EMAIL_VERIFICATION must be none, optional or mandatory")
if ACCOUNT_ALLOWED_SIGNUP_DOMAINS and ACCOUNT_EMAIL_VERIFICATION != "mandatory":
    raise ImproperlyConfigured(
        "ACCOUNT_ALLOWED_SIGNUP_DOMAINS opens sign-up, which needs "
        "ACCOUNT_EMAIL_VERIFICATION=mandatory: otherwise anyone can sign up with an address "
        "they don't own"
    )
# Failed sign-ins per client address (ip) and per account (key), except from browsers that
# signed in to that account before (peertrain/accounts/sign_in_limits.py, which replaces
# allauth's login_failed). Successful sign-ins are never counted.
LOGIN_FAILED_RATE_LIMIT = env_rates(
    "LOGIN_FAILED_RATE_LIMIT", default="10/m/ip,5/300s/key", scopes={"ip", "key"}
)
# allauth's per-address limits are sized for one person; an office behind one NAT is many.
# Per-address limits here are flood guards for a whole office; per-account ones stay tight.
ACCOUNT_RATE_LIMIT_PER_ADDRESS = env_rates("ACCOUNT_RATE_LIMIT_PER_ADDRESS", default="60/m")
_per_address = ",".join(f"{rate.strip()}/ip" for rate in ACCOUNT_RATE_LIMIT_PER_ADDRESS.split(","))
ACCOUNT_RATE_LIMITS = {
    # Every sign-in per address (30 a minute): refused an office's 31st colleague. Guessing is
    # limited by the failed-sign-in limits above, which also bound password hashing per address.
    "login": "",
    "login_failed": "",  # replaced by LOGIN_FAILED_RATE_LIMIT, above
    "signup": _per_address,
    "reset_password": f"{_per_address},5/m/key",
    "reset_password_from_key": _per_address,
}
# Behind reverse proxies, where the client's address comes from (core/ratelimit.client_ip;
# allauth reads the same two settings). 0 proxies: X-Forwarded-For is ignored, since anyone
# can send one.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", default=0)
if ALLAUTH_TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more")
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env.str("TRUSTED_CLIENT_IP_HEADER", default="") or None
if ALLAUTH_TRUSTED_CLIENT_IP_HEADER and (
    not re.fullmatch(r"[A-Za-z0-9-]+", ALLAUTH_TRUSTED_CLIENT_IP_HEADER)
    or ALLAUTH_TRUSTED_CLIENT_IP_HEADER.lower() == "x-forwarded-for"
):
    raise ImproperlyConfigured(
        "TRUSTED_CLIENT_IP_HEADER must name a header your proxy sets to the client's one address "
        "(e.g. X-Real-IP); for X-Forwarded-For set TRUSTED_PROXY_COUNT instead"
    )

# --- Single sign-on (off unless configured) ---------------------------------------------
# Who is matched, what counts as verified and who gets an account: peertrain/accounts/sso.py
# and the SocialAccountAdapter; the README's "Company sign-in (SSO)" explains it for admins.
SOCIALACCOUNT_ONLY = False
# An existing account is signed in (and linked for good) when the provider vouches for the
# account's own address -- a JSON boolean email_verified, nothing else (see sso.py).
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
# Never ask an SSO person to type an address: a refusal page explains instead.
SOCIALACCOUNT_AUTO_SIGNUP = True
# Seconds PeerTrain waits on the provider (discovery, tokens, userinfo) before saying the
# company sign-in is unavailable.
SOCIALACCOUNT_REQUESTS_TIMEOUT = env_int("SSO_TIMEOUT_SECONDS", default=5)
# "Sign out of company sign-in too" sends the browser to the provider's end_session_endpoint.
SSO_LOGOUT_AT_PROVIDER = env_bool("SSO_LOGOUT_AT_PROVIDER", default=True)
SOCIALACCOUNT_PROVIDERS: dict[str, dict] = {}
OIDC_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="")
if OIDC_CLIENT_ID:
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "APPS": [
            {
                "provider_id": "oidc",
                "name": env.str("OIDC_NAME", default="Company sign-in"),
                "client_id": OIDC_CLIENT_ID,
                "secret": env.str("OIDC_CLIENT_SECRET", default=""),
                "settings": {"server_url": env.str("OIDC_SERVER_URL")},
            }
        ]
    }
MICROSOFT_CLIENT_ID = env.str("MICROSOFT_CLIENT_ID", default="")
if MICROSOFT_CLIENT_ID:
    SOCIALACCOUNT_PROVIDERS["microsoft"] = {
        "APPS": [
            {
                "client_id": MICROSOFT_CLIENT_ID,
                "secret": env.str("MICROSOFT_CLIENT_SECRET", default=""),
                "settings": {"tenant": env.str("MICROSOFT_TENANT", default="organizations")},
            }
        ]
    }

# --- Email ------------------------------------------------------------------------------
EMAIL_URL = env.str("EMAIL_URL", default="consolemail://")
try:
    vars().update(env.email_url_config(EMAIL_URL))
except Exception as exc:
    raise ImproperlyConfigured(f"EMAIL_URL is not a valid email URL: {exc}") from exc
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="PeerTrain <peertrain@localhost>")
# Seconds an SMTP connection waits for the server at each step. Django waits forever by
# default, which would leave a message's outcome unknown for ever on a hung mail server.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", default=30)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- I18N, time -------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
# The languages people may choose on their profile (accounts.User.language); the middleware
# activates each person's own. Only English until the pages are translated.
LANGUAGES = [("en-gb", "English")]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "/media/"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security headers that hold everywhere ----------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'none'"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# --- PeerTrain --------------------------------------------------------------------------
NOTIFICATION_MAX_ATTEMPTS = env_int("NOTIFICATION_MAX_ATTEMPTS", default=8)
# A claim not handed to the mail server within this long belongs to a worker that died (or
# lost the database) before sending, and the row is sent again. Safe to keep short: a slow
# worker whose claim was taken over is refused the hand-over, so it can't send too.
NOTIFICATION_CLAIM_TIMEOUT = timedelta(minutes=1)
# A hand-over not confirmed within this long has an unknown outcome: logged, shown to L&D
# staff, never sent again by itself. Longer than EMAIL_TIMEOUT plus the ~15 s a worker
# spends reconnecting to the database to record a send.
NOTIFICATION_OUTCOME_WINDOW = timedelta(minutes=2)
# How long one relay run keeps sending due rows before queueing the next run behind whatever
# else waits (beat also starts one every 15 s, see peertrain/celery.py).
NOTIFICATION_DRAIN_SECONDS = 30
# The request's own publish normally delivers a fresh row within a second; the relay leaves
# it alone this long before sending it itself (the broker was down, or the queue is long).
# Taking it earlier would be safe (delivery claims the row), only wasted work.
NOTIFICATION_RELAY_GRACE = timedelta(seconds=30)
# Wrong check-in codes per person and session (a code is 6 digits, 2 valid at a time).
CHECK_IN_RATE_LIMIT = env_rates("CHECK_IN_RATE_LIMIT", default="10/5m")
