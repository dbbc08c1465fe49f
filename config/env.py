"""Typed readers for environment variables that fail loudly on values they cannot parse.

A typo in production configuration should stop the process at start-up with a message naming the
variable, not surface later as a confusing behaviour.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false, yes/no, on/off), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def secret_key_file(path: Path) -> str:
    """The key kept in `path`, made there (readable by its owner only) the first time it is asked for.

    Processes started together (`make run` starts Daphne and the task cluster at once) must agree on
    one key, so the file appears atomically: a complete temporary file is linked into place, and a
    process that loses the race reads the winner's key.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(get_random_secret_key() + "\n")
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    key = path.read_text().strip()
    if len(key) < 50:
        raise ImproperlyConfigured(f"{path} holds no usable secret key; delete it to have a new one made")
    return key


_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def env_rate(name: str, default: str) -> tuple[int, int]:
    """A rate as attempts per period: "10/h", "5/15m", "100/d" -> (attempts, seconds)."""
    raw = os.environ.get(name, default).strip()
    count, _, period = raw.partition("/")
    multiple, unit = period[:-1], period[-1:]
    try:
        attempts = int(count)
        seconds = (int(multiple) if multiple else 1) * _PERIODS[unit]
    except (ValueError, KeyError):
        raise ImproperlyConfigured(f"{name} must look like 10/h, 5/15m or 100/d, got {raw!r}") from None
    if attempts < 1 or seconds < 1:
        raise ImproperlyConfigured(f"{name} must allow at least one attempt in a period, got {raw!r}")
    return attempts, seconds
