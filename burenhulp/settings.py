"""Settings for Burenhulp, read from the process environment (DESIGN §10).

A `.env` file at the repository root fills in only what the environment does not set.
Every variable is listed in `.env.example`. Test overrides live in `tests/settings.py`.
"""

from __future__ import annotations

import logging
import socket
import sys
from pathlib import Path
from urllib.parse import urlparse

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A .env file never overrides the real environment (environ's default is to not overwrite).
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

log = logging.getLogger("burenhulp.settings")


def _bool(name: str, default: bool) -> bool:
    """A boolean variable: 1/true/yes or 0/false/no, anything else stops start-up with its name."""
    raw = env.str(name, default="")
    if raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1/true/yes or 0/false/no, not {raw!r}.")


def _url(name: str, default: str, schemes: set[str]) -> str:
    raw = env.str(name, default=default)
    scheme = urlparse(raw).scheme
    if scheme not in schemes:
        raise ImproperlyConfigured(
            f"{name} has an unsupported scheme {scheme!r}; use one of: {', '.join(sorted(schemes))}."
        )
    return raw


DEBUG = _bool("DJANGO_DEBUG", default=False)
TESTING = "pytest" in sys.modules or env.str("BURENHULP_TESTING", default="") == "1"

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it (a long random string) or set DJANGO_DEBUG=1 for development."
        )

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not TESTING and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS is not set: name the host names this site answers to.")

SITE_URL = _url("SITE_URL", "http://127.0.0.1:8000", {"http", "https"}).rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

# --- Applications -----------------------------------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "burenhulp.core",
    "burenhulp.residents",
    "burenhulp.helprequests",
    "burenhulp.coordination",
    "burenhulp.notifications",
    "matching",
    "toolbox_content",
    "burenhulp.privacy",
    "burenhulp.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "burenhulp.privacy.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "burenhulp.core.middleware.UserLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "burenhulp.core.middleware.CoordinatorSecurityMiddleware",
    "burenhulp.privacy.middleware.NoStoreMiddleware",
]

ROOT_URLCONF = "burenhulp.urls"
WSGI_APPLICATION = "burenhulp.wsgi.application"

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
                "django.template.context_processors.i18n",
                "burenhulp.core.context_processors.site",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------------------------------

(BASE_DIR / "var" / "static").mkdir(parents=True, exist_ok=True)
DATABASE_URL = _url(
    "DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'burenhulp.sqlite3'}", {"sqlite", "postgres", "postgresql", "pgsql"}
)
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a lock instead of failing at once when the web process and the worker write together.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"  # Never served directly: photos go through a permission-checked view.
STATIC_ROOT = BASE_DIR / "var" / "static"
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- Broker and cache -------------------------------------------------------------------------------------------

CELERY_BROKER_URL = _url("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0", {"redis", "rediss", "amqp", "amqps"})
REDIS_CACHE_URL = env.str("REDIS_CACHE_URL", default="")
if not REDIS_CACHE_URL and urlparse(CELERY_BROKER_URL).scheme.startswith("redis"):
    REDIS_CACHE_URL = CELERY_BROKER_URL.rsplit("/", 1)[0] + "/1"


def _reachable(url: str, timeout: float = 0.5) -> bool:
    parsed = urlparse(url)
    default_port = 6379 if parsed.scheme.startswith("redis") else 5672
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout):
            return True
    except OSError:
        return False


# In development (zero-setup mode) the platform also runs without Redis: tasks then run in-process after commit and
# rate limits are kept in local memory. Production and tests always use the real broker and cache.
BROKER_FALLBACK = _bool("BURENHULP_BROKER_FALLBACK", default=DEBUG and not TESTING)
BROKER_AVAILABLE = True
if BROKER_FALLBACK and not _reachable(CELERY_BROKER_URL):
    BROKER_AVAILABLE = False
    log.warning(
        "The broker at %s is not reachable: tasks will run in-process after each commit, "
        "and rate limits are kept in local memory. Start Redis to use the worker.",
        CELERY_BROKER_URL,
    )

if REDIS_CACHE_URL and BROKER_AVAILABLE:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_CACHE_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_TASK_ALWAYS_EAGER = not BROKER_AVAILABLE
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 90
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task that is not acknowledged within this time is delivered again (Redis); no ETA may be longer.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = "Europe/Brussels"

# --- Mail -------------------------------------------------------------------------------------------------------

EMAIL_URL = _url(
    "EMAIL_URL",
    "consolemail://" if (DEBUG or TESTING) else "smtp://127.0.0.1:25",
    {"smtp", "smtps", "submission", "consolemail", "filemail", "dummymail", "memorymail"},
)
vars().update(env.email_url_config(EMAIL_URL))
if EMAIL_URL.startswith("filemail://"):
    EMAIL_FILE_PATH = urlparse(EMAIL_URL).path or str(BASE_DIR / "var" / "mail")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Burenhulp <noreply@burenhulp.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Accounts (django-allauth) ----------------------------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_ADAPTER = "burenhulp.core.adapters.AccountAdapter"
# Counted in the shared cache (Redis), so every web process sees the same counts. docs/security.md explains them:
# ten wrong passwords for one email address within 15 minutes lock that address's password login for 15 minutes.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,10/15m/key",
    "login": "30/m/ip",
    "signup": "20/h/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "request_login_code": "20/m/ip,3/m/key",
}
# Behind a reverse proxy, set this to the number of proxies so rate limits count the visitor's address, not the proxy's.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("BURENHULP_TRUSTED_PROXY_COUNT", default=0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Burenhulp"
LOGIN_REDIRECT_URL = "dashboard"
LOGIN_URL = "account_login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions: residents stay signed in for two weeks; coordinators are signed out after 30 idle minutes.
SESSION_COOKIE_AGE = 14 * 24 * 3600
COORDINATOR_IDLE_SECONDS = env.int("COORDINATOR_IDLE_SECONDS", default=30 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_NAME = "burenhulp_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Language and time ------------------------------------------------------------------------------------------

LANGUAGE_CODE = "nl-be"
LANGUAGES = [("nl-be", "Nederlands"), ("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Brussels"

# --- API --------------------------------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "burenhulp.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"token": "10/min", "referral_card": "10/hour"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Burenhulp API",
    "DESCRIPTION": "Neighbour help for caring neighbourhoods (zorgzame buurten).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set that several fields share (the hash is of (value, label) pairs, so each entry names
    # the same form the fields use: the category slugs as plain values, the statuses and levels as TextChoices).
    "ENUM_NAME_OVERRIDES": {
        "CategoryEnum": "burenhulp.core.categories.SLUGS",
        "RequestStatusEnum": "burenhulp.helprequests.models.RequestStatus",
        "ProposalStatusEnum": "burenhulp.helprequests.models.ProposalStatus",
        "TriageLevelEnum": "burenhulp.helprequests.models.TriageLevel",
        "QueueStatusEnum": "burenhulp.coordination.models.QueueStatus",
    },
    # Swagger UI is served from our own static files (no CDN, and CSP allows only 'self').
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Security ---------------------------------------------------------------------------------------------------

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = _bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# --- Logging ----------------------------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    # Email addresses, tokens and phone numbers are cut from log lines (paths of 4xx answers hold signed links).
    "filters": {"redact": {"()": "burenhulp.privacy.log_filters.RedactFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        **{
            name: {"filters": ["redact"]}
            for name in ("django.request", "django.server", "django.security.csrf", "django.security.DisallowedHost")
        },
    },
}

# --- Platform ---------------------------------------------------------------------------------------------------

BURENHULP_EMERGENCY_NUMBERS = [
    ("112", _("Emergency: ambulance, fire brigade, police")),
    ("1813", _("Zelfmoordlijn: talk about thoughts of suicide")),
    ("106", _("Tele-Onthaal: someone to talk to, day and night")),
    ("1712", _("1712: violence, abuse and child abuse")),
]
# Links in emails (accept, decline, follow-up) stay valid this long.
EMAIL_LINK_MAX_AGE_SECONDS = env.int("EMAIL_LINK_MAX_AGE_SECONDS", default=7 * 24 * 3600)
