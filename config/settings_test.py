"""Settings for the test suite: the same as production defaults, with tasks run inline."""

import os

from config.env import env_bool
from config.settings import *  # noqa: F403
from config.settings import Q_CLUSTER

Q_CLUSTER = {**Q_CLUSTER, "sync": True}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SITE_URL = "http://testserver"
WHITENOISE_AUTOREFRESH = True
# Static files straight from the apps' and static/ folders, without collectstatic (DEBUG is off).
WHITENOISE_USE_FINDERS = True

# Limits no test of something else reaches (the cache outlives a test); tests of the limits lower them
# with the settings fixture, or, for a server child, with its RATE_LIMIT_* variables.
RATE_LIMITS = {
    scope: {
        kind: limit if os.environ.get(f"RATE_LIMIT_{scope.upper()}_{kind.upper()}") else (100_000, 3600)
        for kind, limit in limits.items()
    }
    for scope, limits in RATE_LIMITS.items()  # noqa: F405
}

# A file-backed test database, so a real Daphne started by an end-to-end test (another process)
# sees the rows the test wrote. PostgreSQL runs get pytest-django's own test_ database.
if SQLITE:  # noqa: F405
    (BASE_DIR / "var").mkdir(exist_ok=True)  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DB_NAME") or str(BASE_DIR / "var" / "test.sqlite3")}  # noqa: F405

# TEST_PRODUCTION_TIMING=1 keeps production's timing below: check-in hooks on their background thread
# (in batches) and the coalescing intervals of the live figures and board pushes, so the threads that
# run in production run in the tests too. CI runs the realtime, checkin and matching suites once more
# this way (.ci/run; docs/testing.md); tests that wait for a push wait with a deadline.
PRODUCTION_TIMING = env_bool("TEST_PRODUCTION_TIMING")

if PRODUCTION_TIMING:
    CHECKIN_HOOKS_INLINE = False
else:
    # Meeting figures for the control room go out inline after each commit: the matching tests change
    # meetings in quick succession, and a coalescing thread would outlive its test.
    MEETING_COUNTS_INTERVAL = 0
    # Employer board pushes likewise (matching/board/pushes.py); a test of the coalescing sets its own interval.
    MATCHING_BOARD_PUSH_INTERVAL = 0
# Lobby screens' head count on the public stream: off, so that tests of the public stream see only
# what they cause; the test of the head count turns it on.
CHECKIN_PUBLIC_COUNTS_INTERVAL = 0 if os.environ.get("TEST_PUBLIC_COUNTS") else None
