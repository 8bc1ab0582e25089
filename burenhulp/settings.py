"""Settings for Burenhulp, read from the process environment (DESIGN §10).

A `.env` file at the repository root (or the file `BURENHULP_ENV_FILE` names) fills in only what the environment does
not set (burenhulp/envvars.py). Every variable is listed in `.env.example`. Test overrides live in `tests/settings.py`,
which tests name explicitly (`--ds=tests.settings`). Reading these settings has no side effects: no directory is made, no server is probed, the process environment is not
changed. Production (`DJANGO_DEBUG` off) needs DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, SITE_URL, DATABASE_URL and
EMAIL_URL; a missing or malformed one stops start-up with a message naming it.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from django.core.exceptions import ImproperlyConfigured

from burenhulp.core.proxies import parse_proxy_count
from burenhulp.envvars import cache_url_from_broker, read_variables, redis_database
from burenhulp.observability import LOG_FORMATS, logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
env = read_variables(BASE_DIR)

DEBUG = env.flag("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it (a long random string) or set DJANGO_DEBUG=1 for development."
        )

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS is not set: name the host names this site answers to.")

# `make run` sets SITE_URL from its PORT when it is not set (burenhulp/devserver.py).
SITE_URL = env.checked_url(
    "SITE_URL",
    "http://127.0.0.1:8000" if DEBUG else None,
    {"http", "https"},
    "the absolute address of the site (https://…), used in the links of every email.",
).rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[]) or [SITE_URL]

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
    "burenhulp.privacy.middleware.RejectNulFormMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "burenhulp.api.parsers.MethodFirstMiddleware",
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

DATABASE_URL = env.checked_url(
    "DATABASE_URL",
    f"sqlite:///{BASE_DIR / 'var' / 'burenhulp.sqlite3'}" if DEBUG else None,
    {"sqlite", "postgres", "postgresql", "pgsql"},
    "the database, postgres://user:password@host:port/name.",
)
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite as a server would run it (the zero-setup database of `make run`, where the web process and the worker
    # write together): write-ahead log, so readers never wait for a writer; every transaction takes the write lock
    # when it begins (IMMEDIATE), so two writers queue instead of one failing with "database is locked" halfway
    # through; and a writer waits up to 20 s for the lock.
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default="") or BASE_DIR / "var" / "media")
MEDIA_URL = "/media/"  # Never served directly: photos go through a permission-checked view.
# Collected by the image build (`collectstatic`); whitenoise serves them with far-future cache headers (the names
# carry a hash of the content) and the reverse proxy compresses them.
STATIC_ROOT = Path(env.str("STATIC_ROOT", default="") or BASE_DIR / "var" / "static")
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- Broker and cache -------------------------------------------------------------------------------------------

CELERY_BROKER_URL = env.checked_url(
    "CELERY_BROKER_URL", "redis://127.0.0.1:6379/0", {"redis", "rediss", "amqp", "amqps"}
)

# Development without Redis (`make run` says so when it falls back): tasks run in-process after each commit and rate
# limits are kept in local memory. Never in production.
TASKS_IN_PROCESS = env.flag("BURENHULP_TASKS_IN_PROCESS", default=False)
if TASKS_IN_PROCESS and not DEBUG:
    raise ImproperlyConfigured("BURENHULP_TASKS_IN_PROCESS is for development only (with DJANGO_DEBUG=1).")

REDIS_CACHE_URL = env.str("REDIS_CACHE_URL", default="") or cache_url_from_broker(CELERY_BROKER_URL)
if REDIS_CACHE_URL and urlparse(REDIS_CACHE_URL).scheme not in {"redis", "rediss"}:
    raise ImproperlyConfigured(f"REDIS_CACHE_URL must be a redis:// or rediss:// URL, not {REDIS_CACHE_URL!r}.")
if not REDIS_CACHE_URL and not DEBUG:
    raise ImproperlyConfigured(
        "REDIS_CACHE_URL is not set: with a broker that is not Redis, name the Redis database that keeps the rate "
        "limits every web process shares."
    )

if REDIS_CACHE_URL and redis_database(REDIS_CACHE_URL) == redis_database(CELERY_BROKER_URL):
    raise ImproperlyConfigured(
        "REDIS_CACHE_URL is the broker's own Redis database; give the cache its own (clearing it would empty the queue)."
    )
# Rate-limit counters, lockouts and cached values are kept under this site's own prefix, so two deployments that
# share a Redis database never share throttles or lockouts.
CACHE_KEY_PREFIX = env.str("CACHE_KEY_PREFIX", default="") or urlparse(SITE_URL).netloc
if REDIS_CACHE_URL and not TASKS_IN_PROCESS:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_CACHE_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_TASK_ALWAYS_EAGER = TASKS_IN_PROCESS
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
# Worker and beat log through LOGGING below (redaction, LOG_FORMAT=json), not through Celery's own handlers.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Beat and every worker leave a heartbeat in the cache; /healthz and the container health checks read them.
CELERY_BEAT_SCHEDULER = "burenhulp.core.heartbeat:HeartbeatScheduler"
CELERY_BEAT_MAX_LOOP_INTERVAL = 30

# --- Mail -------------------------------------------------------------------------------------------------------

# In development the default keeps every message as a file under var/mail/, listed at /dev/emails/.
EMAIL_URL = env.checked_url(
    "EMAIL_URL",
    "devmail://" if DEBUG else None,
    {"smtp", "smtps", "submission", "consolemail", "filemail", "dummymail", "memorymail", "devmail"},
    "where email goes, smtp://user:password@host:587 (or smtps://…:465) of your mail provider.",
)
DEV_MAIL_DIR = BASE_DIR / "var" / "mail"
if EMAIL_URL == "devmail://" and not DEBUG:
    raise ImproperlyConfigured("EMAIL_URL=devmail:// is for development only; name your mail server (smtp://…).")
if EMAIL_URL == "devmail://":
    EMAIL_BACKEND = "burenhulp.core.devmail.EmailBackend"
else:
    vars().update(env.email_url_config(EMAIL_URL))
if EMAIL_URL.startswith("filemail://"):
    EMAIL_FILE_PATH = urlparse(EMAIL_URL).path or str(BASE_DIR / "var" / "mail")
# Where the development page points when a mail catcher such as mailpit receives the mail instead.
MAILPIT_URL = env.str("MAILPIT_URL", default="")
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
# Behind a reverse proxy: the number of proxies, so rate limits count the visitor's address (see the Security part).
TRUSTED_PROXY_COUNT = parse_proxy_count(env.str("BURENHULP_TRUSTED_PROXY_COUNT", default="0"))
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Burenhulp"
MFA_FORMS = {"activate_totp": "burenhulp.core.mfa.SteadyActivateTOTPForm"}  # one secret until enrolled
LOGIN_REDIRECT_URL = "dashboard"
LOGIN_URL = "account_login"

AUTH_PASSWORD_VALIDATORS = [
    # Django's rules with our own texts ("je", plain words): burenhulp/core/passwords.py.
    {"NAME": "burenhulp.core.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "burenhulp.core.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "burenhulp.core.passwords.CommonPasswordValidator"},
    {"NAME": "burenhulp.core.passwords.NumericPasswordValidator"},
]

# Sessions: residents stay signed in for two weeks; coordinators are signed out after 30 idle minutes.
SESSION_COOKIE_AGE = 14 * 24 * 3600
COORDINATOR_IDLE_SECONDS = env.int("COORDINATOR_IDLE_SECONDS", default=30 * 60)
API_TOKEN_TTL_HOURS = env.int("API_TOKEN_TTL_HOURS", default=7 * 24)  # API tokens expire (issue #14 M3)
# A resident's light requests beyond these limits wait for a coordinator first (issue #14 L8).
REQUEST_OPEN_LIMIT = env.int("REQUEST_OPEN_LIMIT", default=3)
REQUEST_DAILY_LIMIT = env.int("REQUEST_DAILY_LIMIT", default=5)
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"  # no email in a cookie (issue #14 I3)
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
        "burenhulp.core.apitokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["burenhulp.api.parsers.GuardedJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "burenhulp.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"token": "10/min", "referral_card": "10/hour"},
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Burenhulp API",
    "DESCRIPTION": "Neighbour help for caring neighbourhoods (zorgzame buurten).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["burenhulp.api.openapi.postprocess"],  # drf-spectacular's enums, then common errors
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

# The proxy's word that the visitor used HTTPS is believed only when a proxy stands in front (it then overwrites the
# header); without one, anybody could send it.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXY_COUNT else None
# The container health check asks gunicorn directly over HTTP: /healthz answers there instead of redirecting.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.flag("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# Everything from our own origin only; no inline code anywhere (templates load scripts and styles from static files).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **{name: ["'self'"] for name in ("default-src", "script-src", "style-src", "font-src", "connect-src")},
        "form-action": ["'self'"],
        "img-src": ["'self'", "data:"],
        **{name: ["'none'"] for name in ("frame-ancestors", "base-uri", "object-src")},
    }
}

# --- Logging ----------------------------------------------------------------------------------------------------

LOG_LEVEL = env.choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"), upper=True)
LOG_FORMAT = env.choice("LOG_FORMAT", "plain", LOG_FORMATS)
# Plain lines, or one JSON object per line for a log collector; every line passes the redaction filter.
LOGGING = logging_config(level=LOG_LEVEL, fmt=LOG_FORMAT)

# Error reporting (sentry-sdk), off unless SENTRY_DSN is set; started by the core app (burenhulp/core/apps.py) with
# personal data scrubbed (burenhulp/observability.py).
SENTRY_DSN = env.checked_url("SENTRY_DSN", "", {"http", "https"}, optional=True)
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default="") or ("development" if DEBUG else "production")
SENTRY_RELEASE = env.str("SENTRY_RELEASE", default="")

# --- Platform ---------------------------------------------------------------------------------------------------

# The emergency and help lines shown with a crisis: per neighbourhood and language, burenhulp/core/helplines.py.
# Links in emails (accept, decline, follow-up) stay valid this long.
EMAIL_LINK_MAX_AGE_SECONDS = env.int("EMAIL_LINK_MAX_AGE_SECONDS", default=7 * 24 * 3600)
