"""Who gets in: bearer tokens (missing, wrong, revoked), sessions, the token command, and the docs."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from events.models import ApiToken
from tests.factories import EventFactory


def _error(response, status: int, reason: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["status"] == "error"
    assert body["reason"] == reason
    assert body["message"]
    return body


def test_write_endpoints_without_credentials_answer_401_in_json(actors, api_client):
    client = api_client()
    response = client.post("/api/v1/events", {"slug": "x"})
    _error(response, 401, "unauthenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")
    _error(client.get("/api/v1/events/job-fair/registrations"), 401, "unauthenticated")
    _error(client.get("/api/v1/registrations/1"), 401, "unauthenticated")
    _error(client.delete("/api/v1/sessions/1"), 401, "unauthenticated")


def test_unknown_token_is_401_even_where_anonymous_reading_is_allowed(actors, api_client):
    # Silently falling back to the public view would hide a typo'd or leaked token from its owner.
    assert api_client().get("/api/v1/events").status_code == 200
    _error(api_client("ee_not-a-real-token").get("/api/v1/events"), 401, "unauthenticated")
    _error(api_client("ee_not-a-real-token").post("/api/v1/events", {}), 401, "unauthenticated")


def test_revoked_token_stops_working(actors, api_client, token_for):
    raw = token_for(actors.organiser)
    client = api_client(raw)
    assert client.get("/api/v1/events/job-fair/registrations").status_code == 200
    ApiToken.objects.filter(key_hash=ApiToken.hash(raw)).update(revoked_at=timezone.now())
    _error(client.get("/api/v1/events/job-fair/registrations"), 401, "unauthenticated")


def test_token_of_deactivated_person_is_refused(actors, api_client, token_for):
    client = api_client(token_for(actors.candidate))
    actors.candidate.is_active = False
    actors.candidate.save()
    _error(client.get("/api/v1/registrations/1"), 401, "unauthenticated")


def test_browser_session_authenticates_reads(actors, client):
    draft = EventFactory(slug="draft-fair", status="draft")
    assert client.get(f"/api/v1/events/{draft.slug}").status_code == 404
    client.force_login(actors.organiser)
    response = client.get(f"/api/v1/events/{draft.slug}")
    assert response.status_code == 200
    assert response.json()["status"] == "draft"


def test_create_api_token_prints_a_working_token_once_and_stores_only_its_hash(actors, api_client):
    out = StringIO()
    call_command("create_api_token", "ORGANISER@example.org", "--name", "CRM sync", stdout=out)
    raw = next(line for line in out.getvalue().split() if line.startswith("ee_"))
    token = ApiToken.objects.get(user=actors.organiser)
    assert token.name == "CRM sync"
    assert token.key_hash == ApiToken.hash(raw)
    assert raw not in {token.key_hash, token.prefix, token.name}
    assert api_client(raw).get("/api/v1/events/job-fair/registrations").status_code == 200


def test_create_api_token_revoke_by_prefix(actors, api_client):
    out = StringIO()
    call_command("create_api_token", actors.candidate.email, stdout=out)
    raw = next(line for line in out.getvalue().split() if line.startswith("ee_"))
    assert api_client(raw).get("/api/v1/events").status_code == 200

    out = StringIO()
    call_command("create_api_token", actors.candidate.email, "--revoke", raw[:8], stdout=out)
    assert "1" in out.getvalue()
    assert api_client(raw).get("/api/v1/events").status_code == 401


@pytest.mark.parametrize("email", ["nobody@example.org", "not an email", ""])
def test_create_api_token_for_unknown_email_is_a_clear_command_error(actors, email):
    with pytest.raises(CommandError, match="email"):
        call_command("create_api_token", email, stdout=StringIO())
    assert not ApiToken.objects.exists()


def test_openapi_schema_is_valid_json_listing_every_endpoint(db, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for path, methods in {
        "/api/v1/events": {"get", "post"},
        "/api/v1/events/{slug}": {"get", "patch"},
        "/api/v1/events/{slug}/sessions": {"get", "post"},
        "/api/v1/sessions/{session_id}": {"patch", "delete"},
        "/api/v1/events/{slug}/registrations": {"get", "post"},
        "/api/v1/registrations/{registration_id}": {"get", "patch"},
    }.items():
        assert methods <= set(paths[path]), path
    registration = schema["components"]["schemas"]["RegistrationOut"]["properties"]
    assert {"id", "name", "email", "role", "organisation", "language", "status", "person_url"} <= set(registration)
    assert "bearer" in json.dumps(schema["components"]["securitySchemes"]).lower()


def test_interactive_docs_page_loads_with_its_assets_served_locally(db, client):
    import re

    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content
    assets = re.findall(r'(?:src|href)="([^"]+)"', response.content.decode())
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    for asset in assets:
        # No CDN: the docs work on a laptop without internet access.
        assert asset.startswith("/"), asset
        assert client.get(asset).status_code == 200, asset


def test_unknown_api_path_and_wrong_method_answer_in_json(db, api_client):
    _error(api_client().get("/api/v1/no-such-thing"), 404, "not_found")
    _error(api_client().get("/api/v1/events/"), 404, "not_found")
    response = api_client().put("/api/v1/events", "{}", content_type="application/json")
    _error(response, 405, "not_allowed")
    assert "GET" in response["Allow"]


def test_bearer_writes_need_no_csrf_token_but_session_writes_do(actors, token_for):
    from django.test import Client

    payload = json.dumps({"title": "Renamed by token"})
    strict = Client(enforce_csrf_checks=True)
    response = strict.patch(
        "/api/v1/events/job-fair",
        payload,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token_for(actors.organiser)}"},
    )
    assert response.status_code == 200, response.content

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(actors.organiser)
    refused = browser.patch("/api/v1/events/job-fair", json.dumps({"title": "Forged"}), content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["status"] == "error"
    actors.event.refresh_from_db()
    assert actors.event.title == "Renamed by token"


def test_dashboard_snapshot_is_for_organisers_only(actors, api_client, token_for):
    _error(api_client().get("/api/v1/events/job-fair/dashboard"), 401, "unauthenticated")
    for who in ("employer_a", "candidate", "official", "outsider"):
        _error(api_client(token_for(getattr(actors, who))).get("/api/v1/events/job-fair/dashboard"), 403, "forbidden")
    body = api_client(token_for(actors.organiser)).get("/api/v1/events/job-fair/dashboard").json()
    assert (body["event"], body["total"], body["by_status"]["registered"]) == ("job-fair", 4, 4)
