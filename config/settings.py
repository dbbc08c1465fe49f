"""Settings for Explorers Events, read from environment variables (see README "Configuration").

The defaults run everything on one laptop: SQLite, the in-memory channel layer and django-q2's
ORM broker. `DATABASE_URL` and `REDIS_URL` switch to PostgreSQL and Redis for several workers.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_rate, env_str, secret_key_file

BASE_DIR = Path(__file__).resolve().parent.parent

# Safe by default (docs/deploy.md, docs/security.md): DEBUG only when asked for.
DEBUG = env_bool("DEBUG", default=False)

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]", "testserver")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", list(LOOPBACK_HOSTS))
# Production is any installation that answers to a name other than this machine's own: it cannot be
# reached otherwise, so nobody can forget to say so. `make run` and the tests serve loopback only.
PRODUCTION = any(host not in LOOPBACK_HOSTS for host in ALLOWED_HOSTS)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            f"SECRET_KEY is required in production (ALLOWED_HOSTS names {', '.join(ALLOWED_HOSTS)}); see docs/deploy.md"
        )
    # A checkout's own key, made once and kept in an ignored file: no key lives in the source, and
    # sessions and emailed links survive restarts.
    SECRET_KEY = secret_key_file(Path(env_str("SECRET_KEY_FILE", str(BASE_DIR / "var" / "secret_key"))))

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The address in every emailed link, feed and webcal link. `make run` (config/devserver.py) sets it
# to http://HOST:PORT unless it is set, so `PORT=8101 make run` links to :8101.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Served over HTTPS (directly or behind a proxy that terminates TLS): cookies are sent over HTTPS
# only, plain HTTP is redirected and browsers are told to remember (HSTS). `make run` serves plain
# HTTP on 127.0.0.1, so none of this applies there.
HTTPS = SITE_URL.startswith("https://")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "django_q",
    "axes",
    "csp",
    "ninja",  # serves the API docs' Swagger UI from our own static files, not a CDN
    "events",
    "checkin",
    "matching",
    "realtime",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses what every middleware below has finished; static files come compressed from WhiteNoise.
    "config.compression.GZipMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.RejectNulMiddleware",
    "config.middleware.AdminBadInputMiddleware",
    "config.middleware.RateLimitedPageMiddleware",
    # Last, as django-axes requires: it turns a sign-in refused during a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# A file-backed SQLite by default. Tests get their own database from pytest-django.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
SQLITE = DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
if SQLITE:
    # WAL lets readers proceed while a check-in writes; the timeout lets a second writer wait its
    # turn instead of failing with "database is locked"; IMMEDIATE takes the write lock up front
    # so a read-then-write transaction cannot deadlock against another one. The backend is
    # Django's, with a process's writers queued on a lock rather than on SQLite's sleeping busy
    # handler (config/sqlite/base.py); DB_SQLITE_WRITE_QUEUE=0 runs Django's own, to measure it.
    if env_bool("DB_SQLITE_WRITE_QUEUE", default=True):
        DATABASES["default"]["ENGINE"] = "config.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("DB_POOL", default=True):
    # PostgreSQL: Django's own connection pool (psycopg_pool), one per process. Daphne runs each
    # request on a thread of its own, so persistent connections would be one per thread and a new
    # one for most requests; the pool lends a request a connection already open and takes it back
    # when the request ends. Health checks: a connection broken by a database restart is replaced
    # before a request gets it, not after it failed one. Figures in docs/checkin.md.
    if DATABASES["default"]["CONN_MAX_AGE"] != 0:
        raise ImproperlyConfigured("DB_CONN_MAX_AGE must be 0 with DB_POOL (the pool keeps the connections)")
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env_int("DB_POOL_MIN_SIZE", 2),
        # Per process: a request thread each, the check-in hooks' worker and the coalescing threads.
        "max_size": env_int("DB_POOL_MAX_SIZE", 20),
        # A request that finds every connection lent out waits this long before it fails.
        "timeout": 10,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "events.User"
# Attendees have no password: the sign-in page points them to their emailed link; staff use a password.
LOGIN_URL = "events:sign_in"
# django-axes first: it refuses a password sign-in during a lockout before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]

# Password sign-in (/me/sign-in/ and /admin/login/): after AXES_FAILURE_LIMIT failures for one account
# from anywhere, or from one address for any accounts, both are refused until the cool-off has passed
# since the last failure (a 429 page saying when). Failures are rows in the database, which every
# Daphne worker shares in every configuration; the cache would be shared only with Redis, and
# `make run`'s in-memory cache would forget them at each restart. Failures during a lockout do not
# extend it, so the page can say when it ends, and an attacker cannot keep a person out for good.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "config.lockout.username_of"
AXES_CLIENT_IP_CALLABLE = "config.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "config.lockout.lockout_response"
# Successful sign-ins are not logged: the failures are all the lockout needs (data minimisation).
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# Per address and per account (config/ratelimit.py, docs/security.md): (attempts, seconds) from
# RATE_LIMIT_* variables such as "10/h". An address limit stays generous because a venue's Wi-Fi puts
# every phone behind one address; the account limit is the tight one. Registering is also how a person
# asks for their link again (a known address is emailed its link), so "registration" per email also
# bounds the emails one address can be sent.
RATE_LIMITS = {
    "registration": {
        "address": env_rate("RATE_LIMIT_REGISTRATION_ADDRESS", "200/h"),
        "account": env_rate("RATE_LIMIT_REGISTRATION_ACCOUNT", "5/h"),
    },
    "meeting_request": {
        "address": env_rate("RATE_LIMIT_MEETING_REQUEST_ADDRESS", "600/h"),
        "account": env_rate("RATE_LIMIT_MEETING_REQUEST_ACCOUNT", "60/h"),
    },
    "cv_download": {
        "address": env_rate("RATE_LIMIT_CV_DOWNLOAD_ADDRESS", "600/h"),
        "account": env_rate("RATE_LIMIT_CV_DOWNLOAD_ACCOUNT", "200/h"),
    },
    # Codes that name no certificate, per address (matching/certificate_views.py); found ones are not counted.
    "certificate_lookup": {
        "address": env_rate("RATE_LIMIT_CERTIFICATE_LOOKUP_ADDRESS", "60/h"),
        "account": env_rate("RATE_LIMIT_CERTIFICATE_LOOKUP_ACCOUNT", "60/h"),
    },
}

# Content-Security-Policy on every response (django-csp): our own origin only, and inline <script>
# and <style> only with the response's nonce (`nonce="{{ request.csp_nonce }}"`). No 'unsafe-inline'
# anywhere: templates carry no style="" or on…="" attributes (tests/security/test_csp.py). The
# live pages' WebSocket origin (ws:/wss: of the page's host) is added per request
# (config/middleware.py), and the scanner pages add 'wasm-unsafe-eval' for their QR decoder.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        # data: for the small icons the API docs' stylesheet embeds.
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # A Redis that stops answering must not hang a worker: connecting gives up after 2 s
                # and the live update is dropped (docs/realtime.md). No read timeout: receiving blocks.
                "hosts": [{"address": REDIS_URL, "socket_connect_timeout": 2}],
                # A live page that falls behind by more than `capacity` messages loses some; the
                # protocol's seq gap detection makes it resync from the HTTP snapshot.
                "capacity": env_int("CHANNEL_CAPACITY", 500),
                "expiry": 30,
                # Consumers re-join their groups on every reconnect, so a day is ample.
                "group_expiry": 86400,
                "prefix": env_str("CHANNEL_PREFIX", "explorers"),
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_PREFIX", "explorers"),
            # Stream counters (seq) live here; an unreachable Redis costs a request 1 s, not minutes.
            # One connection pool per process, not one per request thread (config/redis_pool.py).
            "OPTIONS": {
                "socket_connect_timeout": 1,
                "socket_timeout": 1,
                "pool_class": "config.redis_pool.SharedConnectionPool",
            },
        }
    }
else:
    # Channels' in-memory layer with a cheaper expiry sweep (see realtime/layers.py).
    CHANNEL_LAYERS = {"default": {"BACKEND": "realtime.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# With a shared channel layer (Redis), the matching engine's reaction to door arrivals can run in a
# worker of its own (`manage.py runworker matching-live`) instead of in every web worker: one index
# for the event, and the web workers only pass each batch of arrivals on (docs/deploy.md).
MATCHING_LIVE_WORKER = env_bool("MATCHING_LIVE_WORKER", default=False)
if MATCHING_LIVE_WORKER and not REDIS_URL:
    raise ImproperlyConfigured("MATCHING_LIVE_WORKER needs REDIS_URL: the worker is another process.")
# Whether a process's board index also looks, once a second, at door scans other web workers saw
# (their hooks ran there). Only where several web workers each keep an index: with the in-memory
# layer there is one web process, and the live worker hears every worker's arrivals itself.
MATCHING_SYNC_OTHER_WORKERS = env_bool(
    "MATCHING_SYNC_OTHER_WORKERS", default=bool(REDIS_URL) and not MATCHING_LIVE_WORKER
)

Q_CLUSTER = {
    "name": "explorers",
    "workers": env_int("Q_WORKERS", 2),
    "timeout": 300,
    "retry": 360,
    "max_attempts": 5,
    "orm": "default",
    "catch_up": False,
    "ack_failures": True,
    # Tests run tasks inline so they see the real effect without a cluster.
    "sync": env_bool("Q_SYNC", default=False),
    # A second cluster on its own queue for urgent emails (events.tasks.enqueue_email(urgent=True)):
    # started with Q_CLUSTER_NAME=urgent, it reads only that queue, so a sign-in link never waits
    # behind an import's thousands of confirmations on the main one (docs/operations.md).
    "ALT_CLUSTERS": {"urgent": {"workers": env_int("Q_URGENT_WORKERS", 1)}},
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("lt", _("Lithuanian")),
    ("ckb", _("Kurdish (Sorani)")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").is_dir() else []
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
WHITENOISE_USE_FINDERS = DEBUG
# collectstatic writes a gzip copy of each text file beside it; WhiteNoise serves it to browsers that accept gzip.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if env_str("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Explorers Events <events@explorers.example>")

SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# Behind a proxy that terminates TLS, Django sees plain HTTP; the proxy's X-Forwarded-Proto says what
# the browser used. Only with a proxy that always sets it (docs/deploy.md): a client could send it too.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=HTTPS)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Preloading is a promise about a whole registrable domain, made by its owner at hstspreload.org; an
# event platform usually lives on a subdomain of the organiser's domain, so it is off unless set, and
# `check --deploy`'s reminder of it (W021) is silenced below.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Magic links to "my registration" stay valid this long.
MAGIC_LINK_MAX_AGE = env_int("MAGIC_LINK_MAX_AGE", 60 * 60 * 24 * 30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # django-axes logs every sign-in at INFO; its failures and lockouts are warnings.
    "loggers": {"django.channels.server": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
REALTIME_TOKEN_AUTHENTICATOR = "events.selectors.user_from_api_token"
