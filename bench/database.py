"""What every seeding bench script does first: its environment, then a fresh, migrated database.

    BASE = Path(__file__).resolve().parent.parent
    sys.path[0] = str(BASE)                  # the project root, before importing from bench/
    from bench.database import environment, fresh_database
    environment("checkin", served=True)      # before Django is imported: var/bench-checkin.sqlite3
    ...
    fresh_database()                         # recreate the SQLite file DATABASE_URL names; migrate

A DATABASE_URL given in the environment wins (PostgreSQL, or another SQLite file, so that two
people benching at once do not delete each other's database); that database is migrated, not
recreated, unless it is a SQLite file.
"""

from __future__ import annotations

import os
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent


def environment(name: str, *, served: bool = False) -> Path:
    """Set the defaults every bench runs with; returns the SQLite file used when no DATABASE_URL is
    given. `served`: the bench drives a real server at 127.0.0.1 (else Django's test client)."""
    db = BASE / "var" / f"bench-{name}.sqlite3"
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{db}")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-0123456789-0123456789-0123456789")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if served:
        os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    return db


def sqlite_file() -> Path | None:
    """The SQLite file DATABASE_URL names, or None for another database."""
    url = os.environ["DATABASE_URL"]
    return Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None


def fresh_database() -> None:
    """Recreate the SQLite file (if DATABASE_URL names one), set Django up and migrate."""
    db = sqlite_file()
    if db is not None:
        db.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
