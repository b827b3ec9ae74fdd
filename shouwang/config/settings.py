"""Django settings for Shouwang, read from environment variables.

Every variable is documented in docs/configuration.md. Defaults are the secure choice
where there is one (DEBUG off, no secret key invented outside debug mode).
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from shouwang.config.env import ConfigurationError, env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SHOUWANG_VAR_DIR", str(Path.cwd() / "var")))

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        msg = "SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is off"
        raise ConfigurationError(msg)
    SECRET_KEY = "debug-only-insecure-key"  # noqa: S105  (only with DEBUG=true)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "shouwang.core",
    "shouwang.geo",
    "shouwang.accounts",
    "shouwang.access",
    "shouwang.audit",
    "shouwang.registry",
    "shouwang.cases",
    "shouwang.rules",
    "shouwang.fuc",
    "shouwang.assessments",
    "shouwang.safeguarding",
    "shouwang.notifications",
    "shouwang.imports",
    "shouwang.duplicates",
    "shouwang.services",
    "shouwang.referrals",
    "shouwang.resources",
    "shouwang.matching",
    "shouwang.insights",
    "shouwang.web",
    "shouwang.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "shouwang.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "shouwang.config.urls"
WSGI_APPLICATION = "shouwang.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shouwang.web.context_processors.navigation",
            ],
        },
    },
]

if "DATABASE_URL" not in os.environ:
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # the default SQLite file lives here
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'shouwang.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while a command writes; a busy timeout instead of
    # "database is locked" under the demo's light concurrency.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "timeout": 20}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"  # home sends each role to its first page
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_HTTPS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Registry: how many rows a list page shows.
SHOUWANG_PAGE_SIZE = env_int("SHOUWANG_PAGE_SIZE", 50)

# Cases: follow-up every N days by risk level, "urgent=7,high=14,medium=30,low=90" (our design
# choice, not law: DOMAIN.md §4.4).
SHOUWANG_FOLLOW_UP_DAYS = env_str("SHOUWANG_FOLLOW_UP_DAYS", "")

# Rules: province/county overlays of the national rule parameters (JSON files; docs/rules.md).
SHOUWANG_RULE_OVERLAYS = env_list("SHOUWANG_RULE_OVERLAYS", [])

# De facto unsupported children: step deadlines in working days (docs/fuc.md). The national
# 15 + 15 is unconfirmed [R]; holidays and make-up working days as ISO dates.
SHOUWANG_FUC_TOWNSHIP_DAYS = env_int("SHOUWANG_FUC_TOWNSHIP_DAYS", 15)
SHOUWANG_FUC_COUNTY_DAYS = env_int("SHOUWANG_FUC_COUNTY_DAYS", 15)
SHOUWANG_FUC_HOLIDAYS = env_list("SHOUWANG_FUC_HOLIDAYS", [])
SHOUWANG_FUC_MAKEUP_WORKDAYS = env_list("SHOUWANG_FUC_MAKEUP_WORKDAYS", [])

# Census import (docs/import.md): the largest upload accepted, in bytes (default 20 MB,
# about 150,000 rows of the template), checked before the file is read.
SHOUWANG_IMPORT_MAX_BYTES = env_int("SHOUWANG_IMPORT_MAX_BYTES", 20 * 1000 * 1000)
# Uploads above this size are checked by the worker, and imports of more rows than this
# committed by it, with progress on the page; smaller ones run in the request.
SHOUWANG_IMPORT_INLINE_BYTES = env_int("SHOUWANG_IMPORT_INLINE_BYTES", 1_000_000)
SHOUWANG_IMPORT_INLINE_ROWS = env_int("SHOUWANG_IMPORT_INLINE_ROWS", 5000)
# The worker counts as running if its heartbeat is younger than this.
SHOUWANG_WORKER_STALE_SECONDS = env_int("SHOUWANG_WORKER_STALE_SECONDS", 180)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("FILE_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)

# Referrals (docs/referrals.md): hours the receiving organisation has to accept or decline
# before the referral is overdue (our design choice, not law).
SHOUWANG_REFERRAL_RESPONSE_HOURS = env_int("SHOUWANG_REFERRAL_RESPONSE_HOURS", 72)

# Insights (docs/report.md, docs/exports.md): the CJK font embedded in the diagnostic report's
# PDF (empty: search the known Debian paths), and the smallest group a de-identified export
# may show (k-anonymity, Sweeney 2002).
SHOUWANG_PDF_FONT = env_str("SHOUWANG_PDF_FONT", "")
SHOUWANG_DEID_MIN_GROUP = env_int("SHOUWANG_DEID_MIN_GROUP", 5)

# Safeguarding: hours to acknowledge a mandatory report before it escalates to the next
# level (docs/safeguarding.md). The law says "immediately"; 2 h / 24 h are our choice.
SHOUWANG_REPORT_ACK_HOURS_DANGER = env_int("SHOUWANG_REPORT_ACK_HOURS_DANGER", 2)
SHOUWANG_REPORT_ACK_HOURS = env_int("SHOUWANG_REPORT_ACK_HOURS", 24)

# Notifications (docs/notifications.md): e-mail through Django's backend (console unless
# configured), retries with exponential backoff.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "shouwang@localhost")
SHOUWANG_SITE_URL = env_str("SHOUWANG_SITE_URL", "")
SHOUWANG_NOTIFY_EMAIL = env_bool("SHOUWANG_NOTIFY_EMAIL", default=True)
SHOUWANG_NOTIFY_MAX_ATTEMPTS = env_int("SHOUWANG_NOTIFY_MAX_ATTEMPTS", 6)
SHOUWANG_NOTIFY_BACKOFF_SECONDS = env_int("SHOUWANG_NOTIFY_BACKOFF_SECONDS", 60)
SHOUWANG_NOTIFY_BACKOFF_CAP_SECONDS = env_int("SHOUWANG_NOTIFY_BACKOFF_CAP_SECONDS", 6 * 60 * 60)
SHOUWANG_NOTIFY_LEASE_SECONDS = env_int("SHOUWANG_NOTIFY_LEASE_SECONDS", 10 * 60)

# Background tasks (docs/notifications.md, "The worker"): the django-tasks backport with its
# database backend (django-tasks-db); `shouwang worker` runs the queue and the periodic passes.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
