"""A Content-Security-Policy on every response: our own origin only, inline code only with the nonce.

The templates carry no inline handlers (onclick=…), javascript: URLs or style="" attributes; inline
<script> and <style> blocks carry the response's nonce. The scanner pages alone may compile
WebAssembly (their QR decoder).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from events.models import ActionItem, Event, Minutes, Programme, Questionnaire, Registration
from tests.factories import SessionFactory

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Emails are read in mail programs, which ignore a page's policy; the service worker is JavaScript.
NOT_PAGES = ("emails/", "calendar/email_", "checkin/sw.js")

SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b([^>]*)>", re.IGNORECASE)
HANDLER_ATTRIBUTE = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def _page_templates() -> list[Path]:
    return [
        path
        for path in sorted(TEMPLATES.rglob("*"))
        if path.is_file() and not str(path.relative_to(TEMPLATES)).startswith(NOT_PAGES)
    ]


def _inline_blocks(html: str) -> list[tuple[str, str]]:
    """(tag, attributes) of every <script> or <style> that the browser would run or apply inline."""
    blocks = []
    for tag, attributes in SCRIPT_OR_STYLE.findall(html):
        if tag.lower() == "script" and re.search(r"\ssrc\s*=", attributes):
            continue  # a file from our own origin: allowed by 'self'
        if re.search(r'type\s*=\s*"application/(?:ld\+)?json"', attributes):
            continue  # data for a script (json_script), never executed
        blocks.append((tag.lower(), attributes))
    return blocks


def test_templates_have_no_inline_handlers_javascript_urls_or_style_attributes():
    offenders = []
    for path in _page_templates():
        text = path.read_text()
        name = str(path.relative_to(TEMPLATES))
        if HANDLER_ATTRIBUTE.search(text):
            offenders.append((name, "on…= handler"))
        if "javascript:" in text.lower():
            offenders.append((name, "javascript: URL"))
        if STYLE_ATTRIBUTE.search(text):
            offenders.append((name, 'style="" attribute'))
        for tag, attributes in _inline_blocks(text):
            if 'nonce="{{ request.csp_nonce }}"' not in attributes:
                offenders.append((name, f"<{tag}> without the nonce"))
    assert offenders == []


def _all_routes() -> list[str]:
    """Every page route of the project, with parameters filled in (a 404 must carry the policy too)."""

    def walk(patterns, prefix: str) -> list[str]:
        routes = []
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                routes += walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                routes.append(prefix + str(pattern.pattern))
        return routes

    paths = []
    for route in walk(get_resolver().url_patterns, "/"):
        route = route.lstrip("^").rstrip("$")
        if "(?P" in route or "\\" in route or route.startswith("/admin/"):
            continue  # the admin's regex routes; /admin/ itself is below
        route = re.sub(r"<(?:slug:)?slug>", "job-fair", route)
        paths.append(re.sub(r"<(?:\w+:)?\w+>", "1", route))
    return [*sorted(set(paths)), "/admin/", "/admin/login/", "/admin/events/event/"]


@pytest.mark.django_db
def test_every_route_answers_with_the_policy_and_the_security_headers(actors):
    client = Client(raise_request_exception=False)
    client.force_login(actors.organiser)
    routes = _all_routes()
    assert len(routes) > 40
    for path in routes:
        response = client.get(path)
        assert "Content-Security-Policy" in response, (path, response.status_code)
        policy = _policy(response)
        assert policy["default-src"] == ["'self'"], path
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"], path
        assert response["X-Content-Type-Options"] == "nosniff", path
        assert response["Referrer-Policy"] == "same-origin", path
        header = response["Content-Security-Policy"]
        assert "'unsafe-inline'" not in header and "'unsafe-eval'" not in header, path
        # No third-party origin: the only URLs are this host's own WebSocket addresses.
        assert re.findall(r"\b[a-z]+://[^\s;]+", header) == ["ws://testserver", "wss://testserver"], path


def _pages(actors) -> list[tuple[Client, str]]:
    """A page for every template with inline code, each seen by someone who may open it."""
    organiser, employer, candidate, anyone = Client(), Client(), Client(), Client()
    organiser.force_login(actors.organiser)
    employer.force_login(actors.employer_a)
    candidate.force_login(actors.candidate)
    mine = Registration.objects.get(event=actors.event, user=actors.candidate)
    # A programme (issue 12) with the fair in it and the minutes of one of its sessions.
    programme = Programme.objects.create(slug="csp-programme", name="Programme")
    Event.objects.filter(pk=actors.event.pk).update(programme=programme)
    minutes = Minutes.objects.create(session=SessionFactory(event=actors.event), rapporteur=actors.organiser)
    item = ActionItem.objects.create(programme=programme, title="An action item")
    questionnaire = Questionnaire.objects.create(programme=programme, title={"en": "A questionnaire"})
    return [
        (anyone, "/programmes/csp-programme/"),
        (anyone, "/programmes/csp-programme/roadmap"),
        (organiser, "/programmes/csp-programme/stakeholders/"),
        (organiser, "/programmes/csp-programme/indicators"),
        (organiser, "/programmes/csp-programme/questionnaires/"),
        (organiser, f"/programmes/csp-programme/questionnaires/{questionnaire.pk}/summary"),
        (organiser, "/programmes/csp-programme/skills-gap"),
        (employer, "/matching/job-fair/outcomes/"),
        (candidate, "/matching/job-fair/my-outcomes/"),
        (organiser, f"/programmes/minutes/session/{minutes.session_id}/"),
        (organiser, f"/programmes/actions/{item.pk}/"),
        (organiser, "/events/job-fair/control"),
        (anyone, "/events/job-fair/screen"),
        (candidate, "/me/day"),
        (candidate, "/matching/job-fair/me/"),
        (employer, "/matching/job-fair/board/"),
        (employer, "/matching/job-fair/scan/"),
        (organiser, "/checkin/job-fair/scan"),
        (organiser, "/checkin/job-fair/badges/"),
        (organiser, "/checkin/job-fair/poster/"),
        (organiser, "/matching/job-fair/gap-report"),
        (candidate, f"/me/registrations/{mine.pk}/"),
        (candidate, "/matching/job-fair/profile/"),
    ]


@pytest.mark.django_db
def test_every_inline_script_and_style_carries_the_nonce_of_its_response(actors):
    with_inline = {
        str(path.relative_to(TEMPLATES))
        for path in _page_templates()
        if _inline_blocks(path.read_text()) or "{% csp" in path.read_text()
    }
    rendered = set()
    for client, path in _pages(actors):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        rendered |= {t.name for t in response.templates if t.name}
        nonces = [v for v in _policy(response)["script-src"] if v.startswith("'nonce-")]
        blocks = _inline_blocks(html)
        if not blocks:
            continue
        assert len(nonces) == 1, path
        nonce = nonces[0][len("'nonce-") : -1]
        assert len(nonce) >= 16
        for tag, attributes in blocks:
            assert f'nonce="{nonce}"' in attributes, (path, tag, attributes)
        assert f"'nonce-{nonce}'" in _policy(response)["style-src"]
        assert not HANDLER_ATTRIBUTE.search(html) and not STYLE_ATTRIBUTE.search(html), path
    # Every template with inline code was seen by this test: a new one needs a page above.
    assert with_inline - rendered == set()


@pytest.mark.django_db
def test_a_fresh_nonce_for_every_response(actors):
    client = Client()
    first = _policy(client.get("/events/job-fair/screen"))["script-src"]
    second = _policy(client.get("/events/job-fair/screen"))["script-src"]
    assert first != second


@pytest.mark.django_db
def test_only_the_scanner_pages_may_compile_webassembly(actors):
    organiser, employer = Client(), Client()
    organiser.force_login(actors.organiser)
    employer.force_login(actors.employer_a)
    assert "'wasm-unsafe-eval'" in _policy(organiser.get("/checkin/job-fair/scan"))["script-src"]
    assert "'wasm-unsafe-eval'" in _policy(employer.get("/matching/job-fair/scan/"))["script-src"]
    assert "'wasm-unsafe-eval'" not in _policy(organiser.get("/checkin/job-fair/log/"))["script-src"]
    assert "'wasm-unsafe-eval'" not in _policy(employer.get("/matching/job-fair/board/"))["script-src"]


@pytest.mark.django_db
def test_an_https_page_may_open_only_wss_sockets(actors):
    response = Client().get("/events/job-fair/screen", secure=True)
    assert _policy(response)["connect-src"] == ["'self'", "wss://testserver"]
