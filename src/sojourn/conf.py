"""Settings read from the environment.

Every setting Sojourn reads is declared here once, with its default and its meaning;
``docs/settings.md`` documents each one and a test fails when one is missing there.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: dict[str, Setting] = {}


def declare(name: str, default: str, help: str) -> Setting:
    setting = Setting(name, default, help)
    SETTINGS[name] = setting
    return setting


def env(setting: Setting) -> str:
    """The value of a setting: ``NAME`` from the environment, else the file named by ``NAME_FILE``, else the default."""
    value = os.environ.get(setting.name)
    if value is not None:
        return value
    file_name = os.environ.get(setting.name + "_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return setting.default


def env_bool(setting: Setting) -> bool:
    return env(setting).strip().lower() in {"1", "true", "yes", "on"}


def env_list(setting: Setting) -> list[str]:
    return [item.strip() for item in env(setting).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent

HOME = declare(
    "SOJOURN_HOME",
    str(PROJECT_DIR / "var"),
    "Folder for the embedded database, the generated secret key and other local state.",
)
DATABASE_URL = declare(
    "SOJOURN_DATABASE_URL",
    "",
    "Operational store: `sqlite:////absolute/path.db` or `postgresql://user:pass@host:port/name`. "
    "Empty: SQLite at `$SOJOURN_HOME/sojourn.db`.",
)
DATA_DIR = declare(
    "SOJOURN_DATA_DIR",
    "",
    "Crossing store, reports and other bulk files. Empty: `$SOJOURN_HOME/data`.",
)
SECRET_KEY = declare(
    "SOJOURN_SECRET_KEY",
    "",
    "Django secret key (also read from the file named by `SOJOURN_SECRET_KEY_FILE`). "
    "Empty: a key generated once and kept in `$SOJOURN_HOME/secret_key`.",
)
ALLOWED_HOSTS = declare(
    "SOJOURN_ALLOWED_HOSTS",
    "127.0.0.1,localhost",
    "Comma-separated host names the web server answers to.",
)
DEBUG = declare("SOJOURN_DEBUG", "false", "Django debug mode. Never on in production.")
TIME_ZONE = declare(
    "SOJOURN_TIME_ZONE",
    "Asia/Shanghai",
    "Zone of trip dates, report windows and `--as-of`; crossing times are converted to it.",
)
LANGUAGE_CODE = declare("SOJOURN_LANGUAGE", "en", "Default interface language: `en` or `zh-hans`.")
SECURE_COOKIES = declare(
    "SOJOURN_SECURE_COOKIES",
    "false",
    "Send session and CSRF cookies only over HTTPS; turn on behind TLS.",
)
LOCKOUT_FAILURES = declare(
    "SOJOURN_LOCKOUT_FAILURES", "5", "Failed logins after which an account and address are locked out."
)
LOCKOUT_HOURS = declare("SOJOURN_LOCKOUT_HOURS", "1", "How long a lockout lasts, in hours.")
DUCKDB_MEMORY_LIMIT = declare(
    "SOJOURN_DUCKDB_MEMORY_LIMIT", "4GB", "Memory limit of the DuckDB batch engine."
)
SPARK_MASTER = declare(
    "SOJOURN_SPARK_MASTER", "local[2]", "Spark master URL for `--engine spark` (or a Spark Connect URL)."
)
FILING_DEADLINE_DAYS = declare(
    "SOJOURN_FILING_DEADLINE_DAYS",
    "5",
    "Working days within which a covered official, or a change of post, must be filed "
    "with the exit-entry administration (`registry.filing_gap`).",
)
AS_OF = declare(
    "SOJOURN_AS_OF", "",
    "The date reports and `reconcile` evaluate at when no `--as-of` is given (ISO 8601). Empty: today in "
    "`SOJOURN_TIME_ZONE`. The demo sets it to the date its synthetic data was generated for.",
)
RETURN_GRACE_DAYS = declare(
    "SOJOURN_RETURN_GRACE_DAYS", "1",
    "Days after the approved return date before a traveller still abroad is overdue (`travel.return_overdue`).",
)
MISSING_DAYS = declare(
    "SOJOURN_MISSING_DAYS", "30",
    "Days after the approved return date before a traveller still abroad is listed as missing (`travel.missing`).",
)
HOLIDAY_WINDOW = declare(
    "SOJOURN_HOLIDAY_WINDOW", "",
    "Exit window (`YYYY-MM-DD..YYYY-MM-DD`) of the non-returns summary on the home page and the report's "
    "default window. Empty: the eight days ending at the as-of date.",
)
DEVIATION_DAYS = declare(
    "SOJOURN_DEVIATION_DAYS", "7",
    "An exit up to this many days before an approved departure is an early departure on that trip "
    "(`travel.itinerary_deviation`); earlier than that it is an unapproved exit.",
)
EXCESSIVE_TRIPS = declare(
    "SOJOURN_EXCESSIVE_TRIPS", "4", "Private trips a year above which `travel.excessive` flags a request."
)
EXCESSIVE_DAYS = declare(
    "SOJOURN_EXCESSIVE_DAYS", "15", "Length of a private trip in days above which `travel.excessive` flags it."
)
DESTINATION_GROUPS = declare(
    "SOJOURN_DESTINATION_GROUPS", "",
    "Destination groups of the families-abroad report: `Group:ISO3,ISO3;Group:ISO3` (or a JSON object of "
    "group to codes), in row order; countries in no group are `Other`. Empty: Hong Kong, Macau, United "
    "States, Western Europe, Nordic countries, Australia, New Zealand, Canada, South East Asia (SGP, MYS, THA).",
)
EMIGRATION_PERIODS = declare(
    "SOJOURN_EMIGRATION_PERIODS", "",
    "Periods of emigration of the families-abroad report: year ranges `1985-1990,1991-1998,1999-2005`, "
    "optionally ending in `+N` to continue by N years up to the as-of year. Empty: "
    "`1985-1990,1991-1998,1999-2005,+5`.",
)
SENIOR_RANKS = declare(
    "SOJOURN_SENIOR_RANKS", "national,ministerial,bureau",
    "Ranks whose holders are senior officials in the families-abroad report's categories (comma-separated).",
)
SERVE_WORKERS = declare("SOJOURN_SERVE_WORKERS", "2", "Worker processes of `sojourn serve`.")
SERVE_THREADS = declare("SOJOURN_SERVE_THREADS", "4", "Threads per worker of `sojourn serve`.")


def home() -> Path:
    path = Path(env(HOME))
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir() -> Path:
    path = Path(env(DATA_DIR) or home() / "data")
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key() -> str:
    """The configured key, or one generated on first use and kept beside the database."""
    value = env(SECRET_KEY)
    if value:
        return value
    key_file = home() / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


def database_url() -> str:
    return env(DATABASE_URL) or f"sqlite:///{home() / 'sojourn.db'}"


def as_of_override() -> str:
    """``SOJOURN_AS_OF`` as written (empty when unset); ``sojourn.web.dates.default_as_of`` turns it into a date."""
    return env(AS_OF).strip()
