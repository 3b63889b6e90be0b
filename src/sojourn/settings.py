"""Django settings. Every value comes from ``sojourn.conf``, which reads the environment."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

from sojourn import conf
from sojourn.reports import destinations

BASE_DIR = conf.PROJECT_DIR
SECRET_KEY = conf.secret_key()
DEBUG = conf.env_bool(conf.DEBUG)
ALLOWED_HOSTS = conf.env_list(conf.ALLOWED_HOSTS)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "sojourn.accounts",
    "sojourn.audit",
    "sojourn.registry",
    "sojourn.alerts",
    "sojourn.custody",
    "sojourn.screening",
    "sojourn.travel",
    "sojourn.crossings",
    "sojourn.declarations",
    "sojourn.reports",
    "sojourn.resolution",
    "sojourn.web",
    "sojourn.synth",
    "sojourn.interop",  # no models: its management commands (`sojourn export ftm`)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "sojourn.accounts.middleware.LoginRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sojourn.urls"
WSGI_APPLICATION = "sojourn.wsgi.application"

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "sojourn.web.context.navigation",
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.parse(conf.database_url(), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while an import writes; IMMEDIATE avoids lock upgrades mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions live in the database (server side); cookies carry only the key.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
SESSION_COOKIE_SECURE = conf.env_bool(conf.SECURE_COOKIES)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

AXES_FAILURE_LIMIT = int(conf.env(conf.LOCKOUT_FAILURES))
AXES_COOLOFF_TIME = timedelta(hours=int(conf.env(conf.LOCKOUT_HOURS)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

LANGUAGE_CODE = conf.env(conf.LANGUAGE_CODE)
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [conf.PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = conf.env(conf.TIME_ZONE)
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = conf.home() / "static"

SOJOURN_FILING_DEADLINE_DAYS = int(conf.env(conf.FILING_DEADLINE_DAYS))
SOJOURN_RETURN_GRACE_DAYS = int(conf.env(conf.RETURN_GRACE_DAYS))
SOJOURN_MISSING_DAYS = int(conf.env(conf.MISSING_DAYS))
SOJOURN_DEVIATION_DAYS = int(conf.env(conf.DEVIATION_DAYS))
SOJOURN_HOLIDAY_WINDOW = conf.env(conf.HOLIDAY_WINDOW).strip()
SOJOURN_EXCESSIVE_TRIPS = int(conf.env(conf.EXCESSIVE_TRIPS))
SOJOURN_EXCESSIVE_DAYS = int(conf.env(conf.EXCESSIVE_DAYS))
SOJOURN_DESTINATION_GROUPS = destinations.Groups.parse(conf.env(conf.DESTINATION_GROUPS))
SOJOURN_EMIGRATION_PERIODS = destinations.Periods.parse(conf.env(conf.EMIGRATION_PERIODS))
SOJOURN_SENIOR_RANKS = destinations.parse_ranks(conf.env(conf.SENIOR_RANKS))

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
