from __future__ import annotations

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from checkin.selectors import ticket_payload
from checkin.services import ticket_issue
from events.models import Registration
from matching.models import CandidateProfile, Lead, MeetingRequest
from tests.matching.fair_setup import _fresh_index, add_candidate, arrive, build_fair  # noqa: F401

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_board_page_shows_present_candidates_with_reasons(actors, client):
    build_fair(actors)
    arrive(actors.event, actors.candidate)
    client.force_login(actors.employer_a)
    html = client.get("/matching/job-fair/board/").content.decode()
    assert "Python backend developer" in html and "Zainab Candidate" in html
    assert "Location +15" in html  # relocation to Lithuania, with the employer's support
    assert 'data-ws="/ws/matching/job-fair/board/"' in html
    fragment = client.get("/matching/job-fair/board/fragment/").json()
    assert "Zainab Candidate" in fragment["html"] and isinstance(fragment["seq"], int)
    client.force_login(actors.employer_b)
    html = client.get("/matching/job-fair/board/").content.decode()
    assert "Python backend developer" not in html and "Zainab Candidate" not in html
    client.force_login(actors.candidate)
    assert client.get("/matching/job-fair/board/").status_code == 404
    assert client.get("/matching/job-fair/board/fragment/").status_code == 404


def test_board_buttons_shortlist_and_request(actors, client):
    build_fair(actors)
    arrive(actors.event, actors.candidate)
    client.force_login(actors.employer_a)
    url = "/matching/job-fair/board/action/"
    client.post(url, {"action": "shortlist", "candidate_id": actors.candidate.pk})
    assert "Shortlisted" in client.get("/matching/job-fair/board/").content.decode()
    r = client.post(url, {"action": "request", "candidate_id": actors.candidate.pk}, follow=True)
    assert "Meeting request sent." in r.content.decode()
    assert MeetingRequest.objects.get().status == "pending"
    # Garbage never breaks the page.
    for bad in ({"action": "explode", "candidate_id": "x"}, {"action": "request", "candidate_id": "999999"}, {}):
        assert client.post(url, bad).status_code == 302


def test_candidate_page_answers_a_request(actors, client):
    build_fair(actors)
    client.force_login(actors.employer_a)
    client.post("/matching/job-fair/board/action/", {"action": "request", "candidate_id": actors.candidate.pk})
    client.force_login(actors.candidate)
    html = client.get("/matching/job-fair/me/").content.decode()
    assert "Baltic Code UAB" in html and "Python backend developer" in html
    rid = MeetingRequest.objects.get().pk
    r = client.post("/matching/job-fair/me/action/", {"action": "accept", "id": rid}, follow=True)
    assert "table 1" in r.content.decode()
    assert client.get("/matching/job-fair/me/fragment/").json()["html"].count("We met") == 1
    client.force_login(actors.employer_a)
    assert client.get("/matching/job-fair/me/").status_code == 404


def test_profile_form_in_arabic_saves_skills_languages_and_consent(actors, client):
    build_fair(actors)
    reg = Registration.objects.get(event=actors.event, user=actors.candidate)
    from matching.models import Skill

    python, sql = Skill.objects.get(slug="python"), Skill.objects.get(slug="sql")
    client.force_login(actors.candidate)
    page = client.get("/matching/job-fair/profile/", headers={"accept-language": "ar"})
    assert page.status_code == 200 and 'dir="rtl"' in page.content.decode()
    r = client.post(
        "/matching/job-fair/profile/",
        {
            "seeking": "job",
            "years_experience": "2",
            "cities": ["erbil"],
            f"skill_{python.pk}": "5",
            f"skill_{sql.pk}": "3",
            "lang_ar": "5",
            "lang_en": "3",
            "cv": SimpleUploadedFile("cv.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert r.status_code == 302
    profile = CandidateProfile.objects.get(user=actors.candidate)
    assert {cs.skill.slug: cs.level for cs in profile.skill_levels.all()} == {"python": 5, "sql": 3}
    assert profile.cities == ["erbil"] and profile.years_experience == 2
    reg.refresh_from_db()
    assert reg.consent_share_profile is False  # the consent box was left unticked
    # A renamed file is no PDF.
    r = client.post(
        "/matching/job-fair/profile/",
        {"seeking": "job", "years_experience": "2", "cv": SimpleUploadedFile("cv.pdf", b"GIF89a", "application/pdf")},
    )
    assert r.status_code == 200 and "PDF" in r.content.decode()


def test_cv_is_served_only_to_allowed_people(actors, client):
    build_fair(actors)
    client.force_login(actors.candidate)
    client.post(
        "/matching/job-fair/profile/",
        {"seeking": "job", "years_experience": "1", "consent": "on", "cv": SimpleUploadedFile("cv.pdf", PDF)},
    )
    url = f"/matching/cv/{actors.candidate.pk}/"
    assert b"".join(client.get(url).streaming_content) == PDF
    client.force_login(actors.employer_b)
    assert client.get(url).status_code == 200
    client.force_login(actors.outsider)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404
    Registration.objects.filter(user=actors.candidate).update(consent_share_profile=False)
    client.force_login(actors.employer_b)
    assert client.get(url).status_code == 404


def test_badge_scan_opens_profile_and_records_a_lead(actors, client):
    build_fair(actors)
    payload = ticket_payload(ticket_issue(registration=Registration.objects.get(user=actors.candidate)))
    client.force_login(actors.employer_a)
    r = client.post("/matching/job-fair/scan/", {"payload": payload})
    assert r.status_code == 302 and r["Location"] == f"/matching/job-fair/leads/{actors.candidate.pk}/"
    page = client.get(r["Location"]).content.decode()
    assert "Zainab Candidate" in page and "Python" in page
    client.post(r["Location"], {"rating": "4", "note": "Strong Django"})
    lead = Lead.objects.get()
    assert (lead.organisation_id, lead.rating, lead.note) == (actors.org_a.pk, 4, "Strong Django")
    # Forged or foreign codes are refused with a message, never a 500.
    for bad in ("EE1.1.AAAAAAAAAA.1.AAAAAAAAAAAAAAAA", "x" * 150, "<script>"):
        r = client.post("/matching/job-fair/scan/", {"payload": bad})
        assert r.status_code == 200 and "not valid" in r.content.decode()


def test_leads_csv_has_only_the_employers_own_leads(actors, client):
    build_fair(actors)
    other = add_candidate(actors.event, "other@example.org", {"sql": 4})
    Lead.objects.create(event=actors.event, organisation=actors.org_a, candidate=actors.candidate, rating=5, note="A")
    Lead.objects.create(event=actors.event, organisation=actors.org_b, candidate=other, rating=2, note="B's secret")
    client.force_login(actors.employer_a)
    r = client.get("/matching/job-fair/leads.csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert [(row["email"], row["rating"], row["note"]) for row in rows] == [("candidate@example.org", "5", "A")]
    client.force_login(actors.candidate)
    assert client.get("/matching/job-fair/leads.csv").status_code == 404
    client.force_login(actors.employer_b)
    rows = list(csv.DictReader(io.StringIO(client.get("/matching/job-fair/leads.csv").content.decode("utf-8-sig"))))
    assert [row["note"] for row in rows] == ["B's secret"]


def test_employer_answers_requests_and_records_the_meeting_at_the_booth(actors, client):
    build_fair(actors)
    client.force_login(actors.candidate)
    client.post("/matching/job-fair/me/action/", {"action": "ask", "id": actors.org_a.pk})
    client.force_login(actors.employer_a)
    html = client.get("/matching/job-fair/board/").content.decode()
    assert "Candidates asking to meet you" in html and "Zainab Candidate" in html
    rid = MeetingRequest.objects.get().pk
    r = client.post("/matching/job-fair/board/action/", {"action": "accept", "id": rid}, follow=True)
    assert "Meetings at your booth: now and next" in r.content.decode()
    from matching.models import Meeting

    m = Meeting.objects.get()
    client.post("/matching/job-fair/board/action/", {"action": "we_met", "id": m.pk})
    m.refresh_from_db()
    assert m.employer_confirmed_at is not None and m.status == "booked"
    client.force_login(actors.candidate)
    client.post("/matching/job-fair/me/action/", {"action": "confirm", "id": m.pk})
    m.refresh_from_db()
    assert m.status == "confirmed"
    # Employer B cannot touch A's meeting through its own board.
    client.force_login(actors.employer_b)
    r = client.post("/matching/job-fair/board/action/", {"action": "cancel", "id": m.pk}, follow=True)
    assert "No such meeting." in r.content.decode()
    m.refresh_from_db()
    assert m.status == "confirmed"


def test_candidate_matches_list_fitting_openings_with_what_to_learn(actors, client):
    fair = build_fair(actors)
    from tests.matching.fair_setup import make_opening

    make_opening(actors.event, actors.org_b, "Django + cloud engineer", {"django": 3, "aws": 3}, country="IQ")
    client.force_login(actors.candidate)
    body = client.get("/api/v1/matching/events/job-fair/my-matches").json()["items"]
    titles = [m["title"] for m in body]
    assert titles[0] == "Python backend developer" and fair.opening_b.title not in titles
    cloud = next(m for m in body if m["title"] == "Django + cloud engineer")
    assert cloud["you_have"] == ["Django"] and "Amazon Web Services (AWS)" in cloud["to_learn"]
    assert "shortlisted" not in str(body)
    client.force_login(actors.outsider)
    assert client.get("/api/v1/matching/events/job-fair/my-matches").status_code == 403
