"""Personal links: sent to contacts with an email, in their language, hashed, expiring, revocable,
resent with a fresh secret, reminded on schedule once each; the tracking page for organisers only."""

from __future__ import annotations

import hashlib
import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_q.models import Schedule
from django_q.scheduler import scheduler

from events import questionnaire_answers as answers
from events import questionnaire_links as links
from events.exceptions import EventsError, PermissionDenied
from events.models import Questionnaire, QuestionnaireInvitation
from tests.factories import UserFactory
from tests.questionnaires.answers_setup import Setup, build_questionnaire, make_setup, tokens_by_address


@pytest.fixture
def setup(db) -> Setup:
    return make_setup()


@pytest.fixture
def send(setup, django_capture_on_commit_callbacks):
    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return links.invitations_send(questionnaire=setup.questionnaire, actor=setup.organiser, **kwargs)

    return run


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_contacts_with_an_email_get_one_personal_link_each_in_their_language(setup, send):
    report = send()
    assert report.without_email == 1 and report.already == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["huda@uob.example", "karwan@moc.example"]
    by_address = {m.to[0]: m for m in mail.outbox}
    # Baghdad reads Arabic, Erbil Kurdish (by where the stakeholder is: the contacts have no account).
    assert "مراجعة مناهج" in by_address["huda@uob.example"].subject
    assert QuestionnaireInvitation.objects.get(email="karwan@moc.example").language == "ckb"
    tokens = tokens_by_address()
    assert len(set(tokens.values())) == 2
    for address, token in tokens.items():
        invitation = QuestionnaireInvitation.objects.get(email=address)
        # Only the secret's SHA-256 is kept; the link works.
        assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in str(QuestionnaireInvitation.objects.filter(pk=invitation.pk).values().get())
        assert invitation.sent_at is not None
        assert invitation.expires_at - invitation.sent_at == timedelta(days=30)
        assert _client().get(f"/q/{token}/").status_code == 200


def test_sending_again_skips_contacts_holding_a_live_link(setup, send):
    send()
    mail.outbox.clear()
    report = send()
    assert report.invited == [] and report.already == 2 and mail.outbox == []


def test_a_filter_by_type_sends_only_to_those_stakeholders(setup, send):
    report = send(kinds=["government"])
    assert [i.email for i in report.invited] == ["karwan@moc.example"]
    assert [m.to[0] for m in mail.outbox] == ["karwan@moc.example"]


def test_the_chosen_language_is_used_for_contacts_without_an_account(setup, send):
    send(language="lt")
    assert set(QuestionnaireInvitation.objects.values_list("language", flat=True)) == {"lt"}
    assert all("IRT programų apžvalga" in m.subject for m in mail.outbox)


def test_only_organisers_and_programme_staff_send(setup):
    for who in (setup.official, setup.outsider):
        with pytest.raises(PermissionDenied):
            links.invitations_send(questionnaire=setup.questionnaire, actor=who)
    assert not QuestionnaireInvitation.objects.exists()


def test_a_draft_is_not_sent(setup):
    Questionnaire.objects.filter(pk=setup.questionnaire.pk).update(status=Questionnaire.Status.DRAFT)
    with pytest.raises(EventsError) as refused:
        links.invitations_send(questionnaire=setup.questionnaire, actor=setup.organiser)
    assert refused.value.code == "not_open"


def test_a_revoked_link_shows_a_friendly_page_in_the_persons_language(setup, send):
    send()
    token = tokens_by_address()["huda@uob.example"]
    invitation = QuestionnaireInvitation.objects.get(email="huda@uob.example")
    links.invitation_revoke(invitation=invitation, actor=setup.staff)
    page = _client().get(f"/q/{token}/")
    assert page.status_code == 410
    html = page.content.decode()
    assert 'data-state="revoked"' in html and 'lang="ar"' in html and 'dir="rtl"' in html
    save = _client().post(f"/q/{token}/save", {"changes": {"practical": 3}}, content_type="application/json")
    assert save.status_code == 410 and save.json()["error"] == "revoked"


def test_an_expired_link_shows_that_it_expired(setup, send):
    send()
    token = tokens_by_address()["karwan@moc.example"]
    QuestionnaireInvitation.objects.filter(email="karwan@moc.example").update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    page = _client().get(f"/q/{token}/?lang=en")
    assert page.status_code == 410 and 'data-state="expired"' in page.content.decode()
    assert "has expired" in page.content.decode()


def test_an_unknown_link_is_a_404_page_not_an_error(setup):
    assert _client().get("/q/not-a-real-secret/").status_code == 404
    assert _client().get("/q/" + "x" * 300 + "/").status_code == 404
    assert _client().post("/q/nope/save", {}, content_type="application/json").status_code == 404


def test_resending_makes_a_fresh_link_and_the_old_one_stops_working(setup, send, django_capture_on_commit_callbacks):
    send()
    old = tokens_by_address()["huda@uob.example"]
    invitation = QuestionnaireInvitation.objects.get(email="huda@uob.example")
    answers.response_save(invitation=invitation, changes={"practical": 4})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        links.invitation_resend(invitation=invitation, actor=setup.organiser)
    new = tokens_by_address()["huda@uob.example"]
    assert new != old
    assert _client().get(f"/q/{old}/").status_code == 404
    page = _client().get(f"/q/{new}/")
    assert page.status_code == 200 and '"practical": 4' in page.content.decode()


def test_a_revoked_invitation_is_not_resent(setup, send):
    send()
    invitation = QuestionnaireInvitation.objects.get(email="huda@uob.example")
    links.invitation_revoke(invitation=invitation, actor=setup.organiser)
    with pytest.raises(EventsError) as refused:
        links.invitation_resend(invitation=invitation, actor=setup.organiser)
    assert refused.value.code == "revoked"


def test_the_reminder_schedule_exists(db):
    schedule = Schedule.objects.get(name=links.REMINDER_SCHEDULE)
    assert schedule.func == "events.questionnaire_links.questionnaire_reminders_send"
    assert schedule.schedule_type == Schedule.HOURLY


def test_reminders_go_once_each_to_those_who_have_not_submitted(setup, send, django_capture_on_commit_callbacks):
    Questionnaire.objects.filter(pk=setup.questionnaire.pk).update(reminder_days=[3, 7])
    send()
    huda = QuestionnaireInvitation.objects.get(email="huda@uob.example")
    karwan = QuestionnaireInvitation.objects.get(email="karwan@moc.example")
    answers.response_save(invitation=karwan, changes={"has_internship": "no"}, submit=True)

    def remind():
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            return links.questionnaire_reminders_send()

    assert remind() == 0 and mail.outbox == []  # nothing due yet
    QuestionnaireInvitation.objects.update(created_at=timezone.now() - timedelta(days=3, minutes=1))
    assert remind() == 1
    assert [m.to[0] for m in mail.outbox] == ["huda@uob.example"]
    assert "تذكير" in mail.outbox[0].subject or "Reminder" in mail.outbox[0].subject
    reminded = tokens_by_address()["huda@uob.example"]
    assert _client().get(f"/q/{reminded}/").status_code == 200  # the reminder's link works
    assert remind() == 0 and mail.outbox == []  # each reminder once
    # Both reminders fell due while the cluster was down: one email, and the count says both.
    QuestionnaireInvitation.objects.update(created_at=timezone.now() - timedelta(days=10))
    assert remind() == 1
    huda.refresh_from_db()
    assert huda.reminders_sent == 2 and huda.last_reminded_at is not None
    assert remind() == 0


def test_no_reminder_for_revoked_or_expired_links(setup, send, django_capture_on_commit_callbacks):
    Questionnaire.objects.filter(pk=setup.questionnaire.pk).update(reminder_days=[1])
    send()
    QuestionnaireInvitation.objects.update(created_at=timezone.now() - timedelta(days=2))
    links.invitation_revoke(invitation=QuestionnaireInvitation.objects.get(email="huda@uob.example"), actor=setup.staff)
    QuestionnaireInvitation.objects.filter(email="karwan@moc.example").update(expires_at=timezone.now())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert links.questionnaire_reminders_send() == 0
    assert mail.outbox == []


def test_the_email_task_run_twice_sends_once(setup, send):
    send()
    invitation = QuestionnaireInvitation.objects.get(email="huda@uob.example")
    mail.outbox.clear()
    assert links.send_questionnaire_link(invitation.pk, links.Kind.FIRST, "") is False
    assert mail.outbox == []


# --- Tracking -----------------------------------------------------------------------------------


def _tracking(setup) -> str:
    return reverse("questionnaire_tracking:tracking", args=[setup.programme.slug, setup.questionnaire.pk])


@pytest.mark.parametrize("who", ["official", "outsider"])
def test_tracking_is_for_organisers_and_programme_staff_only(setup, send, who):
    send()
    client = _client(getattr(setup, who))
    assert client.get(_tracking(setup)).status_code == 404
    invitation = QuestionnaireInvitation.objects.get(email="huda@uob.example")
    assert client.post(_tracking(setup) + f"/{invitation.pk}/revoke").status_code == 404
    assert client.post(_tracking(setup) + "/send", {}).status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_a_visitor_is_sent_to_sign_in(setup):
    response = _client().get(_tracking(setup))
    assert response.status_code == 302 and "next=" in response["Location"]


def test_another_programmes_questionnaire_is_not_tracked_here(setup):
    from events.programmes import programme_create

    other = build_questionnaire(programme_create(slug="other", name="Other", partners=[]), title="Other")
    url = reverse("questionnaire_tracking:tracking", args=[setup.programme.slug, other.pk])
    assert _client(setup.organiser).get(url).status_code == 404


@pytest.mark.parametrize("who", ["organiser", "staff"])
def test_tracking_shows_each_status_and_the_counts(setup, send, who, django_capture_on_commit_callbacks):
    Questionnaire.objects.filter(pk=setup.questionnaire.pk).update(reminder_days=[])
    client = _client(getattr(setup, who))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(_tracking(setup) + "/send", {"kinds": ["university", "government"]}).status_code == 302
    huda = QuestionnaireInvitation.objects.get(email="huda@uob.example")
    karwan = QuestionnaireInvitation.objects.get(email="karwan@moc.example")
    answers.response_save(invitation=huda, changes={"practical": 2})
    page = client.get(_tracking(setup)).content.decode()
    assert f'data-invitation="{huda.pk}" data-status="in_progress"' in page
    assert f'data-invitation="{karwan.pk}" data-status="sent"' in page
    answers.invitation_opened(invitation=karwan)
    assert f'data-invitation="{karwan.pk}" data-status="opened"' in client.get(_tracking(setup)).content.decode()
    answers.response_save(invitation=huda, changes={"has_internship": "no"}, submit=True)
    assert client.post(_tracking(setup) + f"/{karwan.pk}/revoke").status_code == 302
    page = client.get(_tracking(setup)).content.decode()
    assert f'data-invitation="{huda.pk}" data-status="submitted"' in page
    assert f'data-invitation="{karwan.pk}" data-status="revoked"' in page
    assert '<li data-status="submitted">' in page and "<strong>1</strong>" in page
    _rows, counts = links.tracking_rows(questionnaire=setup.questionnaire)
    assert counts["submitted"] == 1 and counts["revoked"] == 1 and counts["sent"] == 0


def test_the_send_form_refuses_an_unknown_type(setup):
    response = _client(setup.organiser).post(_tracking(setup) + "/send", {"kinds": ["pirates"]})
    assert response.status_code == 400
    assert not QuestionnaireInvitation.objects.exists()


def test_erasing_a_contact_person_stops_their_link_and_forgets_their_address(setup, send):
    from events.personal_data import ENTRIES

    send()
    token = tokens_by_address()["huda@uob.example"]
    huda = QuestionnaireInvitation.objects.get(email="huda@uob.example")
    answers.response_save(invitation=huda, changes={"practical": 3})
    person = UserFactory(email="HUDA@uob.example")
    entry = next(e for e in ENTRIES if e.label == "events.QuestionnaireInvitation")
    assert list(entry.rows(person)) == [huda]
    assert "token_hash" in entry.hidden
    assert entry.erase(person, None) == 1
    huda.refresh_from_db()
    assert huda.email == "" and huda.contact is None and huda.revoked_at is not None
    assert _client().get(f"/q/{token}/").status_code == 410
    assert huda.response.answers == {"practical": 3}  # the organisation's answers stay
    # Someone else's invitation is untouched.
    assert QuestionnaireInvitation.objects.get(email="karwan@moc.example").revoked_at is None


def test_tracking_takes_the_same_queries_however_many_invitations(setup, send):
    from datetime import date

    from events.stakeholders import contact_add

    client = _client(setup.organiser)
    send()
    with CaptureQueriesContext(connection) as few:
        assert client.get(_tracking(setup)).status_code == 200
    for n in range(15):
        contact_add(
            stakeholder=setup.uni,
            actor=setup.organiser,
            name=f"Lecturer {n}",
            email=f"lecturer{n}@uob.example",
            consent_basis="in_writing",
            consent_given_on=date(2026, 11, 1),
        )
    assert len(send().invited) == 15
    with CaptureQueriesContext(connection) as many:
        page = client.get(_tracking(setup))
    assert page.content.decode().count("data-invitation=") == 17
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_link_the_mail_server_refused_is_sent_again_later_with_a_working_secret(setup, send, monkeypatch):
    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("connection lost")

    with monkeypatch.context() as m:
        m.setattr(EmailBackend, "send_messages", refuse)
        send()
    assert mail.outbox == []
    # Nothing recorded as sent: no secret kept, and a retry waits for each of the two addresses.
    assert not QuestionnaireInvitation.objects.filter(sent_at__isnull=False).exists()
    retries = Schedule.objects.filter(func="events.questionnaire_links.send_questionnaire_link")
    assert retries.count() == 2

    retries.update(next_run=timezone.now() - timedelta(seconds=1))
    scheduler()
    assert sorted(m.to[0] for m in mail.outbox) == ["huda@uob.example", "karwan@moc.example"]
    for token in tokens_by_address().values():
        assert _client().get(f"/q/{token}/").status_code == 200
    assert not retries.exists()
