"""Django's SQLite backend, tuned for one server process with many request threads.

The embedded default (one `make run`, one Daphne) runs every request on its own thread with its own
connection. Two things the stock backend leaves to SQLite itself cost a busy door its tail latency:

1. Writers queue on a sleep. Write transactions (`BEGIN IMMEDIATE`, see config/settings.py) from
   two threads meet at SQLite's file lock, whose busy handler waits by sleeping 1, 2, 5, 10 … 100 ms
   between retries; a scan that arrives while another commits sleeps on long after the lock is
   free. Here the threads of one process take turns on a Python lock instead, and each is woken the
   moment the transaction before it ends. SQLite's own lock and busy timeout still arbitrate
   between processes (a `qcluster` beside Daphne), and if the Python lock is not granted within the
   database timeout the transaction goes ahead and lets SQLite decide, as the stock backend would:
   the lock is an ordering aid, never something correctness depends on.
2. The log is rebuilt on every request. When the last connection to a WAL database closes, SQLite
   checkpoints the whole log into the database and deletes it; with a connection per request that
   happens whenever the server is briefly idle, and the next write starts a new log. One idle
   connection kept open for the life of the process leaves checkpoints to SQLite's automatic
   schedule.

Used for every file-backed SQLite database (config/settings.py; `DB_SQLITE_WRITE_QUEUE=0` runs the
stock backend instead, to measure the difference: docs/checkin.md, "Measured"). PostgreSQL needs
neither.

It relies on these internals of Django's SQLite backend (5.2), pinned by
tests/config/test_sqlite_backend.py so that an upgrade that changes them fails there: `atomic()`
begins a transaction through `set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)`,
which on SQLite calls `DatabaseWrapper._start_transaction_under_autocommit()` (the `BEGIN <mode>`
with `transaction_mode` read from OPTIONS by `get_connection_params()`); every transaction ends in
`_commit()`, `_rollback()` or `_close()`; and `get_new_connection(conn_params)` opens each
connection.
"""

from __future__ import annotations

import os
import sqlite3
import threading

from django.db.backends.sqlite3 import base

_guard = threading.Lock()
_write_locks: dict[str, threading.Lock] = {}
_keepers: dict[tuple[int, str], sqlite3.Connection] = {}


def _write_lock(path: str) -> threading.Lock:
    with _guard:
        lock = _write_locks.get(path)
        if lock is None:
            lock = _write_locks[path] = threading.Lock()
        return lock


def _keep_open(path: str) -> None:
    """Hold one idle connection to the file in this process (a fork gets its own)."""
    key = (os.getpid(), path)
    if key in _keepers:
        return
    with _guard:
        if key not in _keepers:
            keeper = sqlite3.connect(path, check_same_thread=False)
            # A read opens the log's shared index; holding it is what stops the last request
            # connection to close from checkpointing and deleting the log.
            keeper.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
            _keepers[key] = keeper


class DatabaseWrapper(base.DatabaseWrapper):
    _holds_write_lock = False

    def _file(self) -> str | None:
        name = str(self.settings_dict["NAME"])
        if self.is_in_memory_db() or name.startswith("file:"):
            return None
        return os.path.abspath(name)

    def get_new_connection(self, conn_params):
        conn = super().get_new_connection(conn_params)
        path = self._file()
        if path is not None:
            _keep_open(path)
        return conn

    def _start_transaction_under_autocommit(self):
        self.ensure_connection()  # reads the transaction mode from the settings
        path = self._file()
        if path is not None and not self._holds_write_lock and self.transaction_mode == "IMMEDIATE":
            timeout = float(self.settings_dict["OPTIONS"].get("timeout", 5))
            self._holds_write_lock = _write_lock(path).acquire(timeout=timeout)
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_write_lock()
            raise

    def _release_write_lock(self) -> None:
        if self._holds_write_lock:
            self._holds_write_lock = False
            path = self._file()
            if path is not None:
                _write_lock(path).release()

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release_write_lock()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_write_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release_write_lock()
