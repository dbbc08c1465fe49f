"""config.sqlite: a process's SQLite writers take turns on a lock, and the WAL outlives a request's connection."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from django.db.backends.sqlite3.base import DatabaseWrapper as StockWrapper

from config.sqlite.base import DatabaseWrapper

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")


def settings_for(path: Path) -> dict:
    return {
        "ENGINE": "config.sqlite",
        "NAME": str(path),
        "OPTIONS": {
            "timeout": 5,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
        "ATOMIC_REQUESTS": False,
        "AUTOCOMMIT": True,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "TIME_ZONE": None,
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "TEST": {},
    }


def wrapper(path: Path, cls=DatabaseWrapper):
    w = cls(settings_for(path), alias=f"t{id(path)}")
    w.inc_thread_sharing()
    return w


@pytest.fixture(autouse=True)
def _own_databases(django_db_blocker):
    """These tests open their own database files, not the test database."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    path = tmp_path / "door.sqlite3"
    w = wrapper(path)
    w.ensure_connection()
    w.cursor().execute("CREATE TABLE scan (id INTEGER PRIMARY KEY, at REAL)")
    w.close()
    return path


def hold_then_release(path: Path, cls, hold: float, end) -> tuple[float, float]:
    """Thread A holds the write transaction for `hold` s; thread B asks for one meanwhile.
    Returns (when A released, when B got in)."""
    a, b = wrapper(path, cls), wrapper(path, cls)
    a.ensure_connection()
    b.ensure_connection()
    a._start_transaction_under_autocommit()
    a.cursor().execute("INSERT INTO scan (at) VALUES (1)")
    got: list[float] = []

    def second() -> None:
        b._start_transaction_under_autocommit()
        got.append(time.perf_counter())
        b.cursor().execute("INSERT INTO scan (at) VALUES (2)")
        b.commit()

    t = threading.Thread(target=second)
    t.start()
    time.sleep(hold)
    released = time.perf_counter()
    end(a)
    t.join(10)
    a.close()
    b.close()
    assert got, "the second writer never got in"
    return released, got[0]


@pytest.mark.parametrize("end", ["commit", "rollback", "close"])
def test_second_writer_enters_as_soon_as_the_first_ends(db_file: Path, end: str) -> None:
    released, entered = hold_then_release(db_file, DatabaseWrapper, 0.13, lambda w: getattr(w, end)())
    # SQLite's own busy handler would have slept through to its next retry at 178 ms.
    assert entered - released < 0.025
    assert entered >= released


def test_stock_backend_sleeps_past_the_release(db_file: Path) -> None:
    """What the lock is for: the stock backend's waiter wakes on SQLite's retry schedule (1, 2, 5,
    10 … ms apart), late. One hold may happen to end just before a retry; over four it cannot."""
    lateness = []
    for hold in (0.055, 0.085, 0.110, 0.150):
        released, entered = hold_then_release(db_file, StockWrapper, hold, lambda w: w.commit())
        lateness.append(entered - released)
    assert max(lateness) > 0.010


def test_writes_of_many_threads_all_land(db_file: Path) -> None:
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        w = wrapper(db_file)
        try:
            for i in range(20):
                w._start_transaction_under_autocommit()
                w.cursor().execute("INSERT INTO scan (at) VALUES (%s)", [n * 100 + i])
                w.commit()
        except BaseException as exc:
            errors.append(exc)
        finally:
            w.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors
    w = wrapper(db_file)
    with w.cursor() as c:
        c.execute("SELECT COUNT(*) FROM scan")
        assert c.fetchone()[0] == 120
    w.close()


def test_the_log_survives_the_last_request_connection(db_file: Path) -> None:
    w = wrapper(db_file)
    w._start_transaction_under_autocommit()
    w.cursor().execute("INSERT INTO scan (at) VALUES (1)")
    w.commit()
    w.close()
    # The process's idle connection keeps the database open, so closing this one did not
    # checkpoint and delete the write-ahead log.
    assert Path(f"{db_file}-wal").exists()


def test_in_memory_databases_take_no_lock() -> None:
    w = DatabaseWrapper({**settings_for(Path("x")), "NAME": ":memory:"}, alias="mem")
    w.ensure_connection()
    w._start_transaction_under_autocommit()
    assert w._holds_write_lock is False
    w.commit()


def test_the_django_internals_it_overrides_are_still_there() -> None:
    """config/sqlite/base.py relies on these (its docstring lists them): a Django upgrade that renames
    or reshapes any of them fails here, not silently at a busy door."""
    import inspect

    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.transaction import Atomic

    def params(cls, name: str) -> list[str]:
        return list(inspect.signature(getattr(cls, name)).parameters)

    assert params(StockWrapper, "get_new_connection") == ["self", "conn_params"]
    for name in ("_start_transaction_under_autocommit", "_commit", "_rollback", "_close", "is_in_memory_db"):
        assert params(StockWrapper, name) == ["self"], name
    # atomic() begins SQLite's transactions through _start_transaction_under_autocommit ...
    assert "force_begin_transaction_with_broken_autocommit" in params(BaseDatabaseWrapper, "set_autocommit")
    assert "force_begin_transaction_with_broken_autocommit=True" in inspect.getsource(Atomic.__enter__)
    # ... with the mode read from OPTIONS into this attribute.
    w = wrapper(Path("unused.sqlite3"))
    w.get_connection_params()
    assert w.transaction_mode == "IMMEDIATE"


def test_an_atomic_block_takes_the_write_lock_and_its_commit_releases_it(db_file: Path) -> None:
    w = wrapper(db_file)
    w.ensure_connection()
    w.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)  # what atomic() does
    assert w._holds_write_lock
    w.cursor().execute("INSERT INTO scan (at) VALUES (1)")
    w.commit()
    assert not w._holds_write_lock
    w.close()
