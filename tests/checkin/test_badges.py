"""Printable badges: the QR on the page decodes to the ticket; the whole event builds in the background."""

from __future__ import annotations

import pytest
from django.test import Client

from checkin.badges import UNICODE_FONTS, Badge, _shaped, render_badges
from checkin.models import BadgeJob
from events.models import Registration
from tests.checkin.pdf_images import qr_texts


def test_one_badge_has_name_organisation_role_and_a_scannable_qr(actors, payload_of):
    registration = Registration.objects.get(user=actors.employer_b, event=actors.event)
    client = Client()
    client.force_login(actors.employer_b)
    response = client.get(f"/checkin/badges/{registration.pk}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert b"(Bashir Employer)" in pdf and b"(Tigris Tech)" in pdf and b"(EMPLOYER REPRESENTATIVE)" in pdf
    assert qr_texts(pdf) == [payload_of(actors.employer_b, actors.event)]
    # Someone else's badge is not theirs to print.
    other = Registration.objects.get(user=actors.candidate, event=actors.event)
    assert client.get(f"/checkin/badges/{other.pk}.pdf").status_code == 404


@pytest.mark.skipif(not UNICODE_FONTS[0][0].is_file(), reason="fonts-dejavu-core is not installed")
def test_arabic_and_lithuanian_names_are_drawn_with_a_font_that_has_their_letters():
    badge = Badge(
        name="زينب الحسيني", organisation="Aistės UAB", role="candidate", role_label="Candidate",
        event_title="Fair", payload="EE1.1.ABCDEFGHIJ.1.AAAAAAAAAAAAAAAA",
    )  # fmt: skip
    pdf = render_badges([badge])
    assert b"DejaVuSans" in pdf and b"/FontFile2" in pdf  # the DejaVu subset is embedded
    text, font = _shaped(badge.name, bold=True)
    assert font == "BadgeSans-Bold"
    # Joined letter forms (Arabic Presentation Forms-B), in visual order: the first letter drawn is
    # the last one read.
    assert all("\ufe70" <= ch <= "\ufeff" or ch == " " for ch in text)
    assert text[-1] in "\ufeaf\ufeb0"  # zain, the first letter of the name, now at the right end


def test_event_badges_are_built_as_a_background_job_with_progress(
    actors, payload_of, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    organiser = Client()
    organiser.force_login(actors.organiser)
    with django_capture_on_commit_callbacks(execute=True):
        started = organiser.post(f"/api/v1/checkin/events/{actors.event.slug}/badges")
    assert started.status_code == 202
    job_id = started.json()["id"]
    # Tests run django-q2 tasks inline (sync), so the job has finished by now.
    job = organiser.get(f"/api/v1/checkin/badge-jobs/{job_id}").json()
    assert (job["status"], job["progress"], job["done"], job["total"]) == ("done", 100, 4, 4)
    pdf = organiser.get(job["download_url"])
    assert pdf.status_code == 200
    texts = qr_texts(b"".join(pdf.streaming_content))
    expected = {
        payload_of(u, actors.event) for u in (actors.employer_a, actors.employer_b, actors.candidate, actors.official)
    }
    assert set(texts) == expected and len(texts) == 4
    stored = BadgeJob.objects.get(pk=job_id).file
    assert stored.path.startswith(str(tmp_path))
    assert stored.name.startswith("badges/")


def test_only_organisers_start_badge_jobs(actors):
    client = Client()
    client.force_login(actors.candidate)
    assert client.post(f"/api/v1/checkin/events/{actors.event.slug}/badges").status_code == 403
    assert client.get(f"/checkin/{actors.event.slug}/badges/").status_code == 302
