"""The privacy page: what we keep, consents with a withdraw button, CV views, download, delete my account."""

from __future__ import annotations

import json

from django.core.files.base import ContentFile
from django.test import Client

from events.consents import consent_set
from events.models import Consent, Registration, User
from matching.models import CandidateProfile, CvView


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _give_share_profile(actors) -> Consent:
    """The candidate's consent to be shown, given afresh on a page (with the text version shipped now)."""
    for given in (False, True):
        consent_set(
            user=actors.candidate,
            actor=actors.candidate,
            event=actors.event,
            purpose=Consent.Purpose.SHARE_PROFILE,
            given=given,
            source=Consent.Source.PAGE,
        )
    return Consent.objects.get(user=actors.candidate, withdrawn_at__isnull=True, purpose="share_profile")


def test_page_lists_what_we_keep_consents_and_offers_download_and_deletion(actors):
    _give_share_profile(actors)
    page = _signed_in(actors.candidate).get("/me/privacy/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Your registrations: for which events" in html
    assert "Shown to employers at the event" in html
    assert "Show my profile and CV to the employers at this event" in html  # the words agreed to
    assert "Withdraw" in html
    assert 'href="/me/privacy/data.json"' in html
    assert 'name="email"' in html


def test_page_asks_anonymous_visitors_to_use_their_link(db):
    response = Client().get("/me/privacy/")
    assert response.status_code == 302
    assert response["Location"] == "/me/"


def test_my_registrations_page_links_to_privacy(actors):
    assert 'href="/me/privacy/"' in _signed_in(actors.candidate).get("/me/").content.decode()
    registration = Registration.objects.get(user=actors.candidate)
    page = _signed_in(actors.candidate).get(f"/me/registrations/{registration.pk}/")
    assert 'href="/me/privacy/"' in page.content.decode()


def test_withdrawing_a_consent_keeps_the_row_and_clears_the_flag(actors):
    consent = _give_share_profile(actors)
    client = _signed_in(actors.candidate)
    response = client.post(f"/me/privacy/consents/{consent.pk}/withdraw/")
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert not Registration.objects.get(user=actors.candidate, event=actors.event).consent_share_profile
    assert "Withdrawn" in client.get("/me/privacy/").content.decode()


def test_nobody_withdraws_another_persons_consent(actors):
    consent = _give_share_profile(actors)
    response = _signed_in(actors.outsider).post(f"/me/privacy/consents/{consent.pk}/withdraw/")
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_download_is_the_same_document_as_the_api(actors):
    response = _signed_in(actors.candidate).get("/me/privacy/data.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    body = json.loads(response.content)
    assert body["person"]["email"] == actors.candidate.email
    assert body["data"]["events.Registration"][0]["event_id"] == actors.event.pk


def test_deleting_needs_the_typed_email_then_signs_out(actors):
    client = _signed_in(actors.candidate)
    wrong = client.post("/me/privacy/erase/", {"email": "not-me@example.org"})
    assert wrong.status_code == 422
    assert "Type the email address of this account exactly" in wrong.content.decode()
    assert User.objects.get(pk=actors.candidate.pk).erased_at is None

    done = client.post("/me/privacy/erase/", {"email": actors.candidate.email})
    assert done.status_code == 200
    assert "Your account is erased" in done.content.decode()
    assert User.objects.get(pk=actors.candidate.pk).erased_at is not None
    assert client.get("/me/privacy/").status_code == 302


def test_an_employer_opening_a_cv_is_logged_and_shown_to_the_candidate(actors):
    profile = CandidateProfile.objects.create(user=actors.candidate)
    profile.cv.save("cv.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    _signed_in(actors.candidate).get(f"/matching/cv/{actors.candidate.pk}/")
    assert not CvView.objects.exists()  # the candidate's own look is not a view

    opened = _signed_in(actors.employer_a).get(f"/matching/cv/{actors.candidate.pk}/")
    assert opened.status_code == 200
    view = CvView.objects.get()
    assert (view.candidate, view.viewer, view.organisation) == (actors.candidate, actors.employer_a, actors.org_a)

    refused = _signed_in(actors.outsider).get(f"/matching/cv/{actors.candidate.pk}/")
    assert refused.status_code == 404
    assert CvView.objects.count() == 1

    page = _signed_in(actors.candidate).get("/me/privacy/").content.decode()
    assert "Aistė Employer" in page and "Baltic Code UAB" in page
    profile.cv.delete()


def test_page_speaks_arabic_lithuanian_and_kurdish(actors, settings):
    client = _signed_in(actors.candidate)
    for language, heading in (("ar", "بياناتي وخصوصيتي"), ("lt", "Mano duomenys ir privatumas"), ("ckb", "داتاکانم")):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        html = client.get("/me/privacy/").content.decode()
        assert heading in html, language
