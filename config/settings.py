"""Settings, read from the environment (12-factor). `.env.example` documents every variable.

Local defaults run without any set-up: SQLite in the project folder, local-memory cache and
email printed to the console. DEBUG is on only when DJANGO_DEBUG says so; with DEBUG off the
site refuses to start without DJANGO_SECRET_KEY, and the HTTPS settings default to the safe
values `manage.py check --deploy` asks for.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A developer's .env file fills in what the real environment leaves unset; it never overrides.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off. Set it to a long random "
            "string (python -c 'import secrets; print(secrets.token_urlsafe(50))'), or set "
            "DJANGO_DEBUG=true for local development. See .env.example."
        )
    SECRET_KEY = "django-insecure-local-development-only-never-in-production"

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "taggit",
    "simple_history",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "axes",
    "catalog",
    "curation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'awesome-curator.sqlite3'}"
    )
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The default SQLite file lives in var/, which is git-ignored; create it on first use.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # SQLite has no row locks: take the write lock when a transaction starts (not half way,
    # where a second writer would get "database is locked"), and wait for it rather than fail.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# --- Cache ----------------------------------------------------------------------------------
def cache_from_url(url: str) -> dict[str, Any]:
    """CACHE_URL as a Django cache; redis:// uses Django's own Redis backend (no extra package),
    in a form that degrades to uncached answers while Redis is unreachable (config/cache.py),
    and gives up on a connection after CACHE_TIMEOUT_SECONDS instead of holding the request."""
    config: dict[str, Any] = environ.Env.cache_url_config(url)
    if url.startswith(("redis://", "rediss://")):
        config["BACKEND"] = "config.cache.ResilientRedisCache"
        config["LOCATION"] = url
        wait = env.float("CACHE_TIMEOUT_SECONDS", default=0.5)
        config["OPTIONS"] = {"socket_connect_timeout": wait, "socket_timeout": wait}
    return config


CACHES = {"default": cache_from_url(env.str("CACHE_URL", default="locmemcache://"))}
CACHES["default"].setdefault("KEY_PREFIX", env.str("CACHE_KEY_PREFIX", default="curator"))

# --- Auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# django-axes first: it refuses a locked-out sign-in before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# --- Sign-in throttling (django-axes) ---------------------------------------------------------
# After LOGIN_FAILURE_LIMIT failed sign-ins of one username from one address, that pair is
# locked for LOGIN_COOLOFF_MINUTES (a further attempt restarts the wait). Locking the pair, not
# the username, keeps an attacker from locking every curator out by guessing their names.
# Unlock early with `python manage.py axes_reset_username NAME` (or `axes_reset` for everyone).
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "config.security.client_ip"
# Reverse proxies in front of the app that append the client's address to X-Forwarded-For
# (0: none, REMOTE_ADDR is the client). Only count proxies that always rewrite the header;
# otherwise a client could name any address it likes. Used by the sign-in lockout and the API
# throttles.
PROXY_COUNT = env.int("DJANGO_PROXY_COUNT", default=0)

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Static files (whitenoise: compressed, hashed names in production) ----------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Email ----------------------------------------------------------------------------------
# EMAIL_URL: consolemail:// (default), smtp://user:password@host:25, smtp+tls://…:587, smtp+ssl://…
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Awesome Curator <curator@localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# --- HTTPS and security headers ---------------------------------------------------------------
# Behind a load balancer that terminates TLS, set DJANGO_SECURE_PROXY_SSL_HEADER=true so Django
# trusts its X-Forwarded-Proto header (only when the balancer always sets it).
if env.bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("DJANGO_CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Django's defaults, spelled out because the security tests check them: no other site's window
# keeps a handle on ours; cookies are not sent on cross-site subrequests.
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- Content Security Policy (django-csp) -----------------------------------------------------
# Scripts, styles and fonts come from the site's own static files only: no inline script, no
# inline style, no CDN, so injected markup cannot run even if it got past the sanitiser. Views
# that need more say so with csp_update (the list page shows https images from curators' prose;
# Redoc needs inline styles and a blob: worker): see docs/security.md.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# --- Django REST framework --------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # Token first: an anonymous request is then told 401 with WWW-Authenticate: Token.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "catalog.api.throttling.AnonThrottle",
        "catalog.api.throttling.UserThrottle",
    ],
    # Per client address (anonymous) or per user; "off" switches a limit off.
    "DEFAULT_THROTTLE_RATES": {
        scope: None if rate == "off" else rate
        for scope, rate in {
            "anon": env.str("API_THROTTLE_ANON", default="1000/hour"),
            "user": env.str("API_THROTTLE_USER", default="10000/hour"),
        }.items()
    },
    "EXCEPTION_HANDLER": "catalog.api.errors.exception_handler",
    # Throttles count per client address: X-Forwarded-For only through known proxies (DRF's
    # default, None, believes whatever the client puts in that header).
    "NUM_PROXIES": PROXY_COUNT,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Awesome Curator API",
    "DESCRIPTION": (
        "Curated lists, their sections and entries; the list document a README regenerates "
        "from; the editorial workflow. See docs/api.md."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and Redoc from the site's own static files, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "catalog.api.schema.add_list_document_components",
        "catalog.api.schema.add_links",
    ],
}

# --- Logging: everything to stderr, where the process manager collects it ---------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # httpx logs every request at INFO: thousands of lines per link check.
        "httpx": {"level": "WARNING"},
    },
}

# --- Awesome Curator ----------------------------------------------------------------------------
# The public address of the site, used in links that leave the request (emails, exported files).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# Suggestions from the public form per visitor address: (how many, per seconds). Counted in the
# cache, so every app server shares the count when CACHE_URL is Redis.
SUGGESTION_RATE_LIMIT = (10, 60 * 60)
# Import README promises 5 MB (catalog.importer.MAX_README_BYTES); its preview posts the text
# back as a form field, URL-encoded: up to three bytes per byte. Django's default (2.5 MB)
# answered a bare 400 to the confirm step of a README over ~2 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = 16 * 1024 * 1024

# --- Background tasks (django-tasks, the backport of Django 6's task framework) ---------------
# immediate: a task runs at once in the process that enqueues it (the embedded default, tests).
# database: tasks wait in the database until `python manage.py db_worker` runs them — no extra
# service; run one or more workers beside the app servers.
TASKS_BACKEND = env.str("TASKS_BACKEND", default="immediate")
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND={TASKS_BACKEND!r}: use one of {', '.join(_TASK_BACKENDS)}."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}
# Where each published list's README.md (and companion files) is rewritten after every change,
# in a folder per list slug — e.g. a checkout of the lists' repositories. Empty: not written.
README_EXPORT_DIR = env.str("README_EXPORT_DIR", default="")

# --- Outbound HTTP (link checker, repository metadata) ----------------------------------------
# Private, loopback, link-local and reserved addresses are refused unless listed here (CIDR),
# so a submitted link cannot make the server probe its own network. Tests allow 127.0.0.0/8.
OUTBOUND_ALLOWED_NETWORKS = env.list("OUTBOUND_ALLOWED_NETWORKS", default=[])
LINK_CHECK = {
    "USER_AGENT": env.str(
        "LINK_CHECK_USER_AGENT",
        default=f"AwesomeCuratorLinkChecker/1.0 (+{SITE_URL}; checks links of curated lists)",
    ),
    "CONCURRENCY": env.int("LINK_CHECK_CONCURRENCY", default=50),
    "PER_HOST": env.int("LINK_CHECK_PER_HOST", default=4),
    "TIMEOUT": env.float("LINK_CHECK_TIMEOUT", default=15.0),
    "RETRIES": env.int("LINK_CHECK_RETRIES", default=2),
    # A failing link becomes dead only when it also failed in a run at least this long before.
    "DEAD_AFTER_HOURS": env.int("LINK_CHECK_DEAD_AFTER_HOURS", default=72),
}
# Repository metadata: API base URLs and optional tokens (unauthenticated GitHub allows 60
# requests an hour; a token allows 5,000).
REPOSITORY_FORGES = {
    "github": {
        "HOSTS": ["github.com"],
        "API_URL": env.str("GITHUB_API_URL", default="https://api.github.com"),
        "TOKEN": env.str("GITHUB_TOKEN", default=""),
    },
    "gitlab": {
        "HOSTS": ["gitlab.com"],
        "API_URL": env.str("GITLAB_API_URL", default="https://gitlab.com/api/v4"),
        "TOKEN": env.str("GITLAB_TOKEN", default=""),
    },
    "gitea": {
        "HOSTS": ["codeberg.org"],
        "API_URL": env.str("CODEBERG_API_URL", default="https://codeberg.org/api/v1"),
        "TOKEN": env.str("CODEBERG_TOKEN", default=""),
    },
}
# A repository with no commit or push for this many days counts as stale.
REPOSITORY_STALE_AFTER_DAYS = env.int("REPOSITORY_STALE_AFTER_DAYS", default=365)

# --- Publishing the README to each list's repository (docs/push.md) ---------------------------
# Credentials live here, never in the database: an HTTPS token for `git push` (any host), an
# SSH command for SSH URLs, a GitHub token for pull requests (also used by git on GitHub when
# PUSH_GIT_TOKEN is empty).
PUSH = {
    "AUTHOR_NAME": env.str("PUSH_AUTHOR_NAME", default="Awesome Curator"),
    "AUTHOR_EMAIL": env.str("PUSH_AUTHOR_EMAIL", default="curator@localhost"),
    "GIT_USERNAME": env.str("PUSH_GIT_USERNAME", default=""),
    "GIT_TOKEN": env.str("PUSH_GIT_TOKEN", default=""),
    "GIT_SSH_COMMAND": env.str("PUSH_GIT_SSH_COMMAND", default=""),
    "GITHUB_API_URL": env.str(
        "PUSH_GITHUB_API_URL", default=REPOSITORY_FORGES["github"]["API_URL"]
    ),
    "GITHUB_TOKEN": env.str("PUSH_GITHUB_TOKEN", default=""),
    "USER_AGENT": f"AwesomeCuratorPublisher/1.0 (+{SITE_URL})",
    # Seconds for each git command and each API request.
    "TIMEOUT": env.float("PUSH_TIMEOUT", default=60.0),
    # After a failure: first retry after this many seconds, doubling up to the maximum.
    "RETRY_SECONDS": env.int("PUSH_RETRY_SECONDS", default=60),
    "RETRY_MAX_SECONDS": env.int("PUSH_RETRY_MAX_SECONDS", default=6 * 60 * 60),
    # file:// and /path repositories (tests, a mirror on the same machine); off: https and ssh.
    "ALLOW_LOCAL": env.bool("PUSH_ALLOW_LOCAL_REPOSITORIES", default=False),
}
