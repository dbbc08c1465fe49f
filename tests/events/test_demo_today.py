"""make run's demo has a job fair happening today: the door accepts its tickets, a session runs now."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from checkin.door import checkin_scan
from checkin.selectors import checkin_window, ticket_payload
from events.models import Event, Registration, Session, User
from matching.models import Booth, FairConfig, Skill
from matching.taxonomy import load_skills

pytestmark = pytest.mark.django_db(transaction=True)


def demo() -> None:
    if not Skill.objects.exists():  # a transactional test before this one flushed the migration's taxonomy
        load_skills(Skill)
    call_command("seed_demo", stdout=io.StringIO())
    call_command("matching_demo", stdout=io.StringIO())


def _assert_happening_now(fair: Event) -> None:
    now = timezone.now()
    opens, closes = checkin_window(fair)
    assert opens <= now <= closes
    assert fair.starts_at.astimezone(fair.tzinfo).date() == timezone.localdate(timezone=fair.tzinfo)
    assert Session.objects.filter(event=fair, starts_at__lte=now, ends_at__gt=now).exists()
    config = FairConfig.objects.get(event=fair)
    assert config.starts_at.astimezone(fair.tzinfo).date() == timezone.localdate(timezone=fair.tzinfo)


def test_the_demo_candidates_ticket_scans_green_at_todays_fair_with_employers_present():
    demo()
    fair = Event.objects.get(slug="demo-fair-today")
    _assert_happening_now(fair)
    assert Booth.objects.filter(event=fair).count() >= 5
    employers = Registration.objects.filter(event=fair, role=Registration.Role.EMPLOYER)
    assert employers.exists() and all(r.ticket.inside for r in employers)
    assert Registration.objects.filter(event=fair, role=Registration.Role.CANDIDATE, ticket__inside=True).exists()

    zainab = Registration.objects.get(event=fair, user__email="zainab.hussein@mail.example")
    staff = User.objects.get(email="staff@explorers.example")
    outcome = checkin_scan(event=fair, payload=ticket_payload(zainab.ticket), gate="Main entrance", user=staff)
    assert outcome.status == 201, outcome.body
    assert outcome.body["status"] == "ok"


def test_a_demo_seeded_days_ago_moves_to_today_when_run_again():
    demo()
    fair = Event.objects.get(slug="demo-fair-today")
    back = timedelta(days=3)
    Event.objects.filter(pk=fair.pk).update(starts_at=fair.starts_at - back, ends_at=fair.ends_at - back)
    for session in Session.objects.filter(event=fair):
        Session.objects.filter(pk=session.pk).update(
            starts_at=session.starts_at - back, ends_at=session.ends_at - back, status=Session.Status.ENDED
        )
    config = FairConfig.objects.get(event=fair)
    FairConfig.objects.filter(pk=config.pk).update(starts_at=config.starts_at - back, ends_at=config.ends_at - back)

    demo()

    _assert_happening_now(Event.objects.get(slug="demo-fair-today"))
    assert Event.objects.filter(slug="demo-fair-today").count() == 1
    statuses = dict(Session.objects.filter(event=fair).values_list("kind", "status").distinct())
    assert statuses == {Session.Kind.BOOTH: Session.Status.LIVE, Session.Kind.TALK: Session.Status.SCHEDULED} | {
        kind: Session.Status.SCHEDULED for kind in statuses if kind != Session.Kind.BOOTH
    }
