"""Safe by default: DEBUG off, no key in the source, production needs its own key and passes
`manage.py check --deploy` with the settings docs/deploy.md gives, and `make run` still serves plain
HTTP on 127.0.0.1.

Each case starts a fresh Python with the environment under test, as a deployment would.
"""

from __future__ import annotations

import os
import re
import secrets
import shlex
import stat
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)
# Variables of this test run that would change what the settings read.
_OURS = (
    "DJANGO_SETTINGS_MODULE",
    "DEBUG",
    "SECRET_KEY",
    "SECRET_KEY_FILE",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SITE_URL",
    "BEHIND_PROXY",
    "REDIS_URL",
    "MATCHING_LIVE_WORKER",
    "MATCHING_SYNC_OTHER_WORKERS",
)


def _environment(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _OURS and not k.startswith(("SECURE_", "RATE_LIMIT_"))}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env.update(overrides)
    return env


_SETUP = "import django; django.setup(); from django.conf import settings; "


def _python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _SETUP + code],
        cwd=BASE,
        env=_environment(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _documented_production_environment() -> dict[str, str]:
    """The first sh block of docs/deploy.md's "Environment", placeholders filled in."""
    text = (BASE / "docs" / "deploy.md").read_text()
    section = text[text.index("## Environment") :]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL).group(1)
    env = {}
    for line in block.splitlines():
        if "=" not in line or line.lstrip().startswith("#"):
            continue
        name, value = line.split("=", 1)
        env[name.strip()] = shlex.split(value)[0] if value.strip() else ""
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    env["DATABASE_URL"] = env["DATABASE_URL"].replace("<password>", "not-used-by-the-checks")
    assert not any("<" in value for name, value in env.items() if name != "DEFAULT_FROM_EMAIL"), env
    return env


def test_check_deploy_passes_with_the_documented_production_settings():
    env = _documented_production_environment()
    assert env["ALLOWED_HOSTS"] == "events.example.org" and env["SITE_URL"].startswith("https://")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE,
        env=_environment(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNING" not in output, output


def test_production_settings_protect_cookies_and_transport():
    env = _documented_production_environment()
    result = _python(
        "print(settings.DEBUG, settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE,"
        " settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        " settings.SECURE_PROXY_SSL_HEADER,"
        " settings.SECURE_CONTENT_TYPE_NOSNIFF, settings.SECURE_REFERRER_POLICY)",
        **env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[-2] == (
        "False True True True 31536000 True ('HTTP_X_FORWARDED_PROTO', 'https') True same-origin"
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _python("print('started')", ALLOWED_HOSTS="events.example.org", SITE_URL="https://events.example.org")
    assert result.returncode != 0
    assert "started" not in result.stdout
    assert "SECRET_KEY is required in production" in result.stderr


def test_debug_is_off_unless_asked_for(tmp_path):
    key_file = str(tmp_path / "secret_key")
    assert _python("print(settings.DEBUG)", SECRET_KEY_FILE=key_file).stdout.split()[-1] == "False"
    assert _python("print(settings.DEBUG)", SECRET_KEY_FILE=key_file, DEBUG="1").stdout.split()[-1] == "True"


def test_make_run_serves_plain_http_on_loopback_without_configuration(tmp_path):
    # No HTTPS redirect, no Secure-only cookies, no HSTS: http://127.0.0.1:8000 keeps working.
    result = _python(
        "print(settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE,"
        " settings.SECURE_HSTS_SECONDS, settings.PRODUCTION)",
        SECRET_KEY_FILE=str(tmp_path / "secret_key"),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[-2] == "False False False 0 False"


def test_a_checkout_makes_its_development_key_once_and_keeps_it_private(tmp_path):
    key_file = tmp_path / "var" / "secret_key"
    first = _python("print(settings.SECRET_KEY)", SECRET_KEY_FILE=str(key_file))
    assert first.returncode == 0, first.stderr
    key = first.stdout.split("\n")[-2]
    assert len(key) >= 50
    assert key_file.read_text().strip() == key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    second = _python("print(settings.SECRET_KEY)", SECRET_KEY_FILE=str(key_file))
    assert second.stdout.split("\n")[-2] == key
    assert list(key_file.parent.iterdir()) == [key_file]  # no temporary file left behind


def test_processes_started_together_agree_on_one_development_key(tmp_path):
    key_file = str(tmp_path / "secret_key")
    children = [
        subprocess.Popen(
            [sys.executable, "-c", _SETUP + "print(settings.SECRET_KEY)"],
            cwd=BASE,
            env=_environment(SECRET_KEY_FILE=key_file),
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    keys = {child.communicate(timeout=120)[0].split("\n")[-2] for child in children}
    assert len(keys) == 1


def test_no_secret_key_is_written_in_the_source():
    ignored = {".venv", "var", "node_modules", ".git", "staticfiles", "media"}
    for path in BASE.rglob("*.py"):
        if ignored & set(path.relative_to(BASE).parts):
            continue
        text = path.read_text()
        assert not re.search(r"SECRET_KEY\s*=\s*[\"'][^\"']{8,}", text), path
        assert settings.SECRET_KEY not in text, path
    assert "/var/" in (BASE / ".gitignore").read_text().split()
