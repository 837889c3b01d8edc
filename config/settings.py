"""
Blockwork settings, read from the environment.

With no environment at all the app runs on the embedded default: SQLite, a
local-memory cache and Celery tasks run in process. Set DATABASE_URL and
REDIS_URL to use PostgreSQL and a real broker. Set DEBUG=0 for production:
HSTS, secure cookies and the SSL redirect switch on, and SECRET_KEY is required.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY when DEBUG is off.")
    SECRET_KEY = "embedded-default-not-for-production"
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://localhost:8000")
SITE_ID = 1

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "django_htmx",
    "csp",
    "core",
    "chapters",
    "data_vault",
    "canvassing",
    "endorsements",
    "committee",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.RequestContextMiddleware",
    "core.middleware.RequireMfaMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "core.context_processors.navigation",
            ],
        },
    },
]

# Database: PostgreSQL in production and tests, SQLite in the embedded default.
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'blockwork.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: the Celery broker and the shared cache. Absent, tasks run in process.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="blockwork"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=2 * 60 * 60)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 600}

# Accounts: email sign-in through allauth, with TOTP and recovery codes.
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"
ACCOUNT_ADAPTER = "core.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Blockwork"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 24 * 14)
CSRF_COOKIE_SAMESITE = "Lax"

# Email: to the console in the embedded default, through SMTP when EMAIL_URL is set.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Blockwork <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security: on by default when DEBUG is off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", *env.list("CSP_IMG_SOURCES", default=[])],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Uploads and files.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_UPLOAD_BYTES = env.int("IMPORT_MAX_UPLOAD_BYTES", default=1024 * 1024 * 1024)

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="America/New_York")
USE_I18N = True
USE_TZ = True

# API.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="60/minute"),
        "user": env.str("API_THROTTLE_USER", default="1200/minute"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Blockwork API",
    "DESCRIPTION": "A chapter's own electoral operation. Every route is scoped to your chapters.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets that share a field name across apps get names of their own.
    "ENUM_NAME_OVERRIDES": {
        "ContactResultEnum": "data_vault.models.ContactEvent.Result",
        "EndorsementStatusEnum": "endorsements.models.races.EndorsementStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint narrates every PDF step at INFO; keep its warnings only.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# Each app's own settings, one block per app.

# --- data_vault settings ---

# Imports: on PostgreSQL, COPY into a staging table and merge in SQL; off, the portable ORM path.
DATA_VAULT_IMPORT_FAST_PATH = env.bool("DATA_VAULT_IMPORT_FAST_PATH", default=True)
DATA_VAULT_IMPORT_MAX_BYTES = env.int("DATA_VAULT_IMPORT_MAX_BYTES", default=IMPORT_MAX_UPLOAD_BYTES)
# A table in a .zip or .gz, unpacked, may be this large: a statewide voter file is a few GB, a zip bomb far more.
DATA_VAULT_IMPORT_MAX_UNPACKED_BYTES = env.int("DATA_VAULT_IMPORT_MAX_UNPACKED_BYTES", default=8 * 1024**3)
# An import writing at least this many people refreshes the planner's statistics at its end.
DATA_VAULT_IMPORT_ANALYZE_ROWS = env.int("DATA_VAULT_IMPORT_ANALYZE_ROWS", default=10_000)
# The fast path saves people this many file rows at a time, moving the progress bar after each slice.
DATA_VAULT_IMPORT_SLICE_ROWS = env.int("DATA_VAULT_IMPORT_SLICE_ROWS", default=100_000)
# List and whole-vault exports: how long the download link works, in hours.
DATA_VAULT_EXPORT_TTL_HOURS = env.int("DATA_VAULT_EXPORT_TTL_HOURS", default=24)
# (end of data_vault settings)

# --- canvassing settings ---
# Map tiles for turf maps, such as "https://tile.example.org/{z}/{x}/{y}.png"; empty draws
# the doors on a blank map. Add the tile host to CSP_IMG_SOURCES as well.
CANVASSING_TILE_URL = env.str("CANVASSING_TILE_URL", default="")
CANVASSING_TILE_ATTRIBUTION = env.str("CANVASSING_TILE_ATTRIBUTION", default="")
# Shift reminders go this many hours before the shift; beat checks every 15 minutes.
CANVASSING_REMINDER_HOURS = env.int("CANVASSING_REMINDER_HOURS", default=24)
# Door results this close together, three or more in a row, are flagged for the captain.
CANVASSING_FAST_DOOR_SECONDS = env.int("CANVASSING_FAST_DOOR_SECONDS", default=20)
# The API's enum of the results a phone sends, named apart from every contact result.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    **SPECTACULAR_SETTINGS.get("ENUM_NAME_OVERRIDES", {}),  # type: ignore[dict-item]
    "DoorResultEnum": "canvassing.models.DOOR_RESULT_CHOICES",
}
CELERY_BEAT_SCHEDULE = {
    **globals().get("CELERY_BEAT_SCHEDULE", {}),
    "canvassing-shift-reminders": {"task": "canvassing.tasks.shift_reminders_send_task", "schedule": 15 * 60},
    "canvassing-quality-flags": {"task": "canvassing.tasks.quality_flags_detect_all_task", "schedule": 10 * 60},
}

# (end of canvassing settings)

# --- endorsements settings ---
# National asks for requests at least this many weeks before the election; later ones are flagged late.
ENDORSEMENTS_NATIONAL_DEADLINE_WEEKS = env.int("ENDORSEMENTS_NATIONAL_DEADLINE_WEEKS", default=10)
# How long a candidate's questionnaire link stays open.
ENDORSEMENTS_QUESTIONNAIRE_LINK_DAYS = env.int("ENDORSEMENTS_QUESTIONNAIRE_LINK_DAYS", default=21)
# How long browsers and proxies may cache the public endorsements page, in seconds.
ENDORSEMENTS_PUBLIC_CACHE_SECONDS = env.int("ENDORSEMENTS_PUBLIC_CACHE_SECONDS", default=300)
# Largest dossier attachment accepted, in bytes.
ENDORSEMENTS_ATTACHMENT_MAX_BYTES = env.int("ENDORSEMENTS_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
# (end of endorsements settings)

# --- committee settings ---
COMMITTEE_MATERIAL_MAX_BYTES = env.int("COMMITTEE_MATERIAL_MAX_BYTES", default=25 * 1024 * 1024)
# Public pages (roster, reports) may be cached by browsers and proxies for this long.
COMMITTEE_PUBLIC_CACHE_SECONDS = env.int("COMMITTEE_PUBLIC_CACHE_SECONDS", default=300)

# (end of committee settings)
