from __future__ import annotations

from tests.matching.fair_setup import _fresh_index, add_candidate, arrive, build_fair  # noqa: F401


def _board(client, user, slug="job-fair"):
    client.force_login(user)
    return client.get(f"/api/v1/matching/events/{slug}/board")


def test_employer_sees_only_own_openings_ranked_with_reasons(actors, client):
    fair = build_fair(actors)
    arrive(actors.event, actors.candidate)
    body = _board(client, actors.employer_a).json()
    assert [op["opening_id"] for op in body["openings"]] == [fair.opening_a.pk]
    row = body["openings"][0]["candidates"][0]
    assert row["candidate_id"] == actors.candidate.pk
    assert row["name"] == "Zainab Candidate"
    assert {"skill": "Python", "how": "match"} in row["explanation"]["matched"]
    assert row["explanation"]["missing"] == []
    assert 0 < row["score"] <= 100


def test_employer_b_never_sees_employer_a_board(actors, client):
    fair = build_fair(actors)
    arrive(actors.event, actors.candidate)
    body = _board(client, actors.employer_b).json()
    assert fair.opening_a.pk not in [op["opening_id"] for op in body["openings"]]
    assert body["organisation_id"] == actors.org_b.pk


def test_candidate_and_outsider_get_no_board(actors, client):
    build_fair(actors)
    assert _board(client, actors.candidate).status_code == 403
    assert _board(client, actors.outsider).status_code == 403
    client.logout()
    assert client.get("/api/v1/matching/events/job-fair/board").status_code == 401


def test_non_consenting_present_candidate_appears_nowhere(actors, client):
    fair = build_fair(actors)
    shy = add_candidate(actors.event, "shy@example.org", {"python": 5, "django": 5}, consent=False)
    arrive(actors.event, shy)
    arrive(actors.event, actors.candidate)
    body = _board(client, actors.employer_a).json()
    ids = [r["candidate_id"] for op in body["openings"] for r in op["candidates"]]
    assert shy.pk not in ids and actors.candidate.pk in ids
    assert client.get(f"/api/v1/matching/events/job-fair/candidates/{shy.pk}").status_code == 404
    r = client.post(
        "/api/v1/matching/events/job-fair/requests", {"candidate_id": shy.pk}, content_type="application/json"
    )
    assert r.status_code == 404 and r.json()["reason"] == "not_found"
    r = client.post("/api/v1/matching/events/job-fair/leads", {"candidate_id": shy.pk}, content_type="application/json")
    assert r.status_code == 404
    assert fair.opening_a.pk  # the fair exists; the refusals above are about consent only


def test_withdrawn_consent_removes_candidate_from_board(actors, client):
    build_fair(actors)
    arrive(actors.event, actors.candidate)
    client.force_login(actors.candidate)
    r = client.post("/api/v1/matching/events/job-fair/consent", {"consent": False}, content_type="application/json")
    assert r.json() == {"consent": False}
    body = _board(client, actors.employer_a).json()
    assert all(op["candidates"] == [] for op in body["openings"])


def test_candidate_who_left_drops_off_the_board(actors, client):
    build_fair(actors)
    arrive(actors.event, actors.candidate)
    arrive(actors.event, actors.candidate, inside=False)
    body = _board(client, actors.employer_a).json()
    assert body["present"] == 0 and body["openings"][0]["candidates"] == []


def test_not_now_hides_candidate_from_that_employer_only(actors, client):
    build_fair(actors)
    arrive(actors.event, actors.candidate)
    client.force_login(actors.employer_a)
    r = client.post(
        "/api/v1/matching/events/job-fair/marks",
        {"candidate_id": actors.candidate.pk, "kind": "not_now"},
        content_type="application/json",
    )
    assert r.status_code == 200
    body = _board(client, actors.employer_a).json()
    assert body["openings"][0]["candidates"] == []


def test_profile_visible_to_employer_only_with_consent(actors, client):
    build_fair(actors)
    client.force_login(actors.employer_a)
    r = client.get(f"/api/v1/matching/events/job-fair/candidates/{actors.candidate.pk}")
    assert r.status_code == 200
    assert r.json()["skills"][0] == {"slug": "python", "name": "Python", "label": "Python", "level": 4}
    assert "email" not in r.json()
    client.force_login(actors.outsider)
    assert client.get(f"/api/v1/matching/events/job-fair/candidates/{actors.candidate.pk}").status_code == 404


def test_an_opening_saved_elsewhere_reaches_every_process_board(actors, client, django_capture_on_commit_callbacks):
    from matching import board, services
    from realtime import generations
    from tests.matching.fair_setup import make_opening

    build_fair(actors)
    arrive(actors.event, actors.candidate)
    assert len(_board(client, actors.employer_b).json()["openings"]) == 1  # this process has its index now
    opening = make_opening(actors.event, actors.org_b, "Django developer", {"django": 2}, country="IQ")
    # Another worker saves the opening: only the shared version moves, this process's index stays.
    generations.bump(board.roster.version_key(actors.event.pk))
    body = _board(client, actors.employer_b).json()
    mine = next(op for op in body["openings"] if op["opening_id"] == opening.pk)
    assert [r["candidate_id"] for r in mine["candidates"]] == [actors.candidate.pk]
    with django_capture_on_commit_callbacks(execute=True):
        services.opening_saved(opening=opening)
    assert actors.event.pk not in board.index._indexes
