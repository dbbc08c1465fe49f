"""Shared test actors: an organiser, two employers, a candidate, an official and an outsider.

Every permission test reads the same way: build the event, then ask what each actor can see.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass

import pytest
from django.test import Client

from events.models import ApiToken, Event, Organisation, Registration, User
from tests.factories import EventFactory, OrganisationFactory, RegistrationFactory, UserFactory

CHROMIUM = "/usr/bin/chromium"


@dataclass
class Actors:
    event: Event
    organiser: User
    employer_a: User
    employer_b: User
    candidate: User
    official: User
    outsider: User
    org_a: Organisation
    org_b: Organisation


@pytest.fixture
def actors(db) -> Actors:
    event = EventFactory(slug="job-fair", title="Vilnius–Baghdad Digital Job Fair")
    org_a = OrganisationFactory(name="Baltic Code UAB", country="LT")
    org_b = OrganisationFactory(name="Tigris Tech", country="IQ", city="Baghdad")
    organiser = UserFactory(email="organiser@example.org", full_name="Olga Organiser", is_staff=True)
    employer_a = UserFactory(email="a@baltic.example", full_name="Aistė Employer", organisation=org_a)
    employer_b = UserFactory(email="b@tigris.example", full_name="Bashir Employer", organisation=org_b)
    candidate = UserFactory(email="candidate@example.org", full_name="Zainab Candidate")
    official = UserFactory(email="official@gov.example", full_name="Omar Official")
    outsider = UserFactory(email="outsider@example.org", full_name="Otto Outsider")
    RegistrationFactory(event=event, user=employer_a, role=Registration.Role.EMPLOYER, organisation=org_a)
    RegistrationFactory(event=event, user=employer_b, role=Registration.Role.EMPLOYER, organisation=org_b)
    RegistrationFactory(
        event=event,
        user=candidate,
        role=Registration.Role.CANDIDATE,
        consent_share_profile=True,
        consent_attendee_list=True,
    )
    RegistrationFactory(event=event, user=official, role=Registration.Role.OFFICIAL, delegation="IQ")
    return Actors(event, organiser, employer_a, employer_b, candidate, official, outsider, org_a, org_b)


def make_token(user: User, name: str = "test") -> str:
    raw = ApiToken.generate()
    ApiToken.objects.create(user=user, name=name, prefix=raw[:8], key_hash=ApiToken.hash(raw))
    return raw


@pytest.fixture
def token_for():
    return make_token


@pytest.fixture
def api_client():
    """A client that speaks JSON to /api/v1/ with an optional bearer token."""

    class ApiClient(Client):
        def __init__(self, token: str | None = None) -> None:
            super().__init__()
            self.token = token

        def _headers(self, extra: dict) -> dict:
            if self.token:
                extra.setdefault("headers", {})["Authorization"] = f"Bearer {self.token}"
            return extra

        def get(self, path, data=None, **extra):  # type: ignore[override]
            return super().get(path, data, **self._headers(extra))

        def delete(self, path, data="", **extra):  # type: ignore[override]
            return super().delete(path, data, **self._headers(extra))

        def post(self, path, data=None, content_type="application/json", **extra):  # type: ignore[override]
            return super().post(path, data, content_type=content_type, **self._headers(extra))

        def patch(self, path, data=None, content_type="application/json", **extra):  # type: ignore[override]
            return super().patch(path, data, content_type=content_type, **self._headers(extra))

    return ApiClient


def chromium_available() -> bool:
    return os.path.exists(CHROMIUM) or shutil.which("chromium") is not None


requires_chromium = pytest.mark.skipif(not chromium_available(), reason="Debian chromium is not installed")
requires_postgres = pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="DATABASE_URL not set")
requires_redis = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL not set")


def _new_thread_sensitive_executor() -> None:
    # asgiref runs thread-sensitive code (database_sync_to_async) on one executor thread made once per
    # process. A child forked after the parent used it (mutmut forks a worker per mutant from the
    # process that ran the suite) inherits the executor but not its thread: every call waits forever,
    # and the mutant counted as a "timeout". The child gets an executor of its own.
    from concurrent.futures import ThreadPoolExecutor

    from asgiref.sync import SyncToAsync

    SyncToAsync.single_thread_executor = ThreadPoolExecutor(max_workers=1)


os.register_at_fork(after_in_child=_new_thread_sensitive_executor)


# The test database as the settings name it, before a mutation worker names its own.
_TEST_DB: dict[str, str] = {}
# Under `make mutation`: whether this worker copied the run's freshly migrated database.
_MUTANT_DB: dict[str, bool] = {}


def _mutant_worker() -> bool:
    # A worker testing one mutant (mutmut's stats, clean and forced-fail runs use other names).
    return "__mutmut_" in os.environ.get("MUTANT_UNDER_TEST", "")


def _mutation_run_template(template: str) -> str:
    # One per mutmut run, named after the run's one process (every worker is forked from it), so a
    # database an earlier or interrupted run left rows in is never copied.
    run = os.getppid() if _mutant_worker() else os.getpid()
    return f"{template}.run{run}"


def _sqlite_files(name: str) -> list[str]:
    return [name, f"{name}-wal", f"{name}-shm"]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Under `make mutation`, each mutant's worker tests on its own SQLite file.

    mutmut forks a worker per mutant from one process and may run two at once: on one file they
    would drop each other's tables. Before the mutants, mutmut runs the tests in its own process
    (to learn which test calls what, then clean); that run keeps its database, just migrated and
    untouched by any test, as the run's template (`_mutation_template`). Each worker starts from a
    copy and skips the migrations: they cost about 3 s of CPU, and on a loaded machine they alone
    outlasted mutmut's time limit for a mutant whose few tests take a second, so it "timed out".
    A copy of a database some earlier run had left rows in once failed every test and so "killed"
    every mutant: the template is therefore made anew by each run, never reused across runs.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    test = database.setdefault("TEST", {})
    template = _TEST_DB.setdefault("name", str(test.get("NAME") or ""))
    mine = ""
    if os.environ.get("MUTANT_UNDER_TEST") and template and "sqlite" in database["ENGINE"]:
        mine = test["NAME"] = f"{template}.{os.getpid()}"
        run_template = _mutation_run_template(template)
        if _mutant_worker() and os.path.exists(run_template):
            shutil.copyfile(run_template, mine)
            _MUTANT_DB["copied"] = True
    yield
    test["NAME"] = template
    if _MUTANT_DB.get("copied"):
        # Kept by keepdb (below), so removed here.
        for name in _sqlite_files(mine):
            if os.path.exists(name):
                os.unlink(name)


@pytest.fixture(scope="session")
def django_db_keepdb(request, django_db_modify_db_settings):
    # A worker that copied the run's template uses it as it is (Django's migrate then finds nothing
    # to do); otherwise pytest-django's own rule (--reuse-db).
    return bool(_MUTANT_DB.get("copied") or request.config.getvalue("reuse_db"))


@pytest.fixture(scope="session", autouse=True)
def _mutation_template(django_db_setup, django_db_blocker):
    """mutmut's own test runs (before any mutant) keep their database, just migrated, as the run's template."""
    from django.conf import settings
    from django.db import connection

    name = _TEST_DB.get("name", "")
    in_mutmut = "MUTANT_UNDER_TEST" in os.environ and not _mutant_worker()
    if not in_mutmut or not name or connection.vendor != "sqlite":
        yield
        return
    run_template = _mutation_run_template(name)
    if not os.path.exists(run_template):
        import sqlite3

        partial = f"{run_template}.part"
        source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
        target = sqlite3.connect(partial)
        try:
            source.backup(target)  # a consistent copy, whatever is still in the WAL file
        finally:
            target.close()
            source.close()
        os.replace(partial, run_template)
    yield


@pytest.fixture(scope="session", autouse=True)
def _end_stray_postgres_sessions(django_db_setup, django_db_blocker):
    """Let pytest-django drop the PostgreSQL test database even if a thread or child kept a connection.

    A background thread or a killed server process can leave a session open; DROP DATABASE then
    fails at the very end of an otherwise green run. The stray sessions are listed so they can be
    traced, then ended.
    """
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, application_name, state, left(query, 120) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        stray = cursor.fetchall()
        for row in stray:
            print(f"\nstray PostgreSQL session at teardown: {row}")
            cursor.execute("SELECT pg_terminate_backend(%s)", [row[0]])
    connection.close()
