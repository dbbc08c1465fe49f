"""The trainers' attendance grid: who sees it, what fills it, corrections with a reason, the rule, the CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from checkin import services, training
from checkin.models import AttendanceMark, SessionAttendance
from checkin.selectors import event_for_scanning, ticket_payload
from events import sessions as session_service
from events.models import Event, Registration, Session
from tests.factories import EventFactory, RegistrationFactory, SessionFactory, UserFactory


@dataclass
class Training:
    event: Event
    trainer: object
    zainab: Registration
    ali: Registration
    kickoff: Session
    lecture: Session
    lab: Session
    upcoming: Session


def make_training(actors, slug: str = "ict-training") -> Training:
    """A training running for two months: three sessions held (one started now), one to come."""
    now = timezone.now()
    event = EventFactory(
        slug=slug,
        title="ICT Training",
        kind=Event.Kind.TRAINING,
        timezone="Asia/Baghdad",
        status=Event.Status.LIVE,
        starts_at=now - timedelta(days=60),
        ends_at=now + timedelta(days=60),
    )
    trainer = UserFactory(email=f"trainer@{slug}.example", full_name="Tomas Trainer")
    RegistrationFactory(event=event, user=trainer, role=Registration.Role.TRAINER)
    zainab = RegistrationFactory(event=event, user=actors.candidate)
    ali = RegistrationFactory(event=event, user=UserFactory(email=f"ali@{slug}.example", full_name="Ali Trainee"))
    kickoff = SessionFactory(event=event, title="Kick-off", track="Programme", starts_at=now - timedelta(days=40))
    lecture = SessionFactory(event=event, title="Python lecture", track="Python", starts_at=now - timedelta(days=10))
    lab = SessionFactory(event=event, title="Python lab", track="Python", starts_at=now - timedelta(minutes=5))
    lab.ends_at = now + timedelta(hours=3)
    lab.save()
    upcoming = SessionFactory(event=event, title="Cloud lecture", track="Cloud", starts_at=now + timedelta(days=20))
    SessionFactory(event=event, title="Cancelled", starts_at=now - timedelta(days=3), status=Session.Status.CANCELLED)
    # What the door recorded: Zainab checked herself in to the kick-off on time and to the lecture late.
    SessionAttendance.objects.create(
        ticket=zainab.ticket, session=kickoff, first_in_at=kickoff.starts_at + timedelta(minutes=2)
    )
    SessionAttendance.objects.create(
        ticket=zainab.ticket, session=lecture, first_in_at=lecture.starts_at + timedelta(minutes=25)
    )
    # Today: Zainab is scanned in to the lab itself, Ali at the event's door while the lab runs.
    scanning = event_for_scanning(slug=event.slug)
    services.checkin_scan(event=scanning, payload=ticket_payload(zainab.ticket), session=lab, user=actors.organiser)
    services.checkin_scan(event=scanning, payload=ticket_payload(ali.ticket), user=actors.organiser)
    return Training(event, trainer, zainab, ali, kickoff, lecture, lab, upcoming)


@pytest.fixture
def course(actors) -> Training:
    return make_training(actors)


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _row(grid: dict, registration: Registration) -> dict:
    return next(r for r in grid["rows"] if r["registration"].pk == registration.pk)


def test_cells_come_from_session_and_door_check_ins_and_only_trainees_have_rows(course):
    grid = training.training_grid(event=course.event)
    assert [c["session"].title for c in grid["columns"]] == [
        "Kick-off",
        "Python lecture",
        "Python lab",
        "Cloud lecture",
    ]
    assert [c["module"] for c in grid["columns"]] == ["Programme", "Python", "Python", "Cloud"]
    assert (grid["held"], grid["total"]) == (3, 4)
    assert [r["name"] for r in grid["rows"]] == ["Ali Trainee", "Zainab Candidate"]  # not the trainer
    assert [c[0] for c in _row(grid, course.zainab)["cells"]] == ["present", "late", "present", ""]
    assert [c[0] for c in _row(grid, course.ali)["cells"]] == ["absent", "absent", "present", ""]
    assert sum(n for _month, n in grid["months"]) == 4
    assert [key[1] for key, _n in grid["modules"]][-1] == "Cloud"


def test_header_groups_are_runs_of_equal_month_and_module():
    assert training._groups([("2026-01", "A"), ("2026-01", "A"), ("2026-02", "A"), ("2026-02", "B")]) == [
        (("2026-01", "A"), 2),
        (("2026-02", "A"), 1),
        (("2026-02", "B"), 1),
    ]


def test_only_this_trainings_trainers_and_organisers_see_the_grid_and_its_csv(actors, course):
    other = make_training(actors, "other")
    door = UserFactory(email="door@example.org")
    RegistrationFactory(event=course.event, user=door, role=Registration.Role.STAFF)
    for path in (f"/checkin/{course.event.slug}/training/", f"/checkin/{course.event.slug}/training.csv"):
        assert _client(course.trainer).get(path).status_code == 200
        assert _client(actors.organiser).get(path).status_code == 200
        assert _client(other.trainer).get(path).status_code == 403
        assert _client(actors.candidate).get(path).status_code == 403
        assert _client(door).get(path).status_code == 403
        assert _client().get(path).status_code == 302


def test_a_trainer_corrects_a_cell_with_a_reason_and_the_change_is_audited(course):
    url = f"/checkin/{course.event.slug}/training/{course.ali.pk}/{course.kickoff.pk}/"
    trainer = _client(course.trainer)
    response = trainer.post(url, {"value": "excused", "reason": "Visa appointment at the embassy"})
    assert response.status_code == 302
    mark = AttendanceMark.objects.get()
    assert (mark.registration, mark.session, mark.old, mark.new) == (course.ali, course.kickoff, "absent", "excused")
    assert (mark.by, mark.reason) == (course.trainer, "Visa appointment at the embassy")
    page = trainer.get(f"/checkin/{course.event.slug}/training/").content.decode()
    assert (
        f'<td class="excused"><a href="/checkin/{course.event.slug}/training/{course.ali.pk}/{course.kickoff.pk}/"'
        in page
    )
    history = trainer.get(url).content.decode()
    assert "Visa appointment at the embassy" in history and "Tomas Trainer" in history

    # The door said late; the trainer says present; then absent: each is a row, the newest wins.
    lecture = f"/checkin/{course.event.slug}/training/{course.zainab.pk}/{course.lecture.pk}/"
    trainer.post(lecture, {"value": "present", "reason": "The bus was late; she told us"})
    trainer.post(lecture, {"value": "absent", "reason": "She left after ten minutes"})
    assert list(AttendanceMark.objects.filter(session=course.lecture).values_list("old", "new")) == [
        ("late", "present"),
        ("present", "absent"),
    ]
    assert _row(training.training_grid(event=course.event), course.zainab)["cells"][1][:4] == (
        "absent", "✗", "Absent", True,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"value": "excused", "reason": ""}, "reason_required"),
        ({"value": "excused", "reason": "   "}, "reason_required"),
        ({"value": "excused"}, "reason_required"),
        ({"value": "gone", "reason": "x"}, "invalid_value"),
        ({"value": "excused", "reason": "x" * 301}, "reason_too_long"),
        ({"value": "excused", "reason": "sick\u202e"}, "bidi_controls"),
    ],
)
def test_a_correction_without_a_proper_reason_or_value_is_a_422_and_writes_nothing(course, data, code):
    url = f"/checkin/{course.event.slug}/training/{course.ali.pk}/{course.kickoff.pk}/"
    response = _client(course.trainer).post(url, data)
    assert response.status_code == 422
    assert f'data-reason="{code}"' in response.content.decode()
    assert not AttendanceMark.objects.exists()


def test_corrections_are_refused_to_others_and_for_sessions_not_held(actors, course):
    url = f"/checkin/{course.event.slug}/training/{course.ali.pk}/{course.kickoff.pk}/"
    assert _client(actors.candidate).post(url, {"value": "present", "reason": "me"}).status_code == 403
    future = f"/checkin/{course.event.slug}/training/{course.ali.pk}/{course.upcoming.pk}/"
    assert _client(course.trainer).post(future, {"value": "excused", "reason": "Travel"}).status_code == 409
    same = _client(course.trainer).post(url, {"value": "absent", "reason": "Already"})
    assert same.status_code == 409
    trainer_row = Registration.objects.get(event=course.event, user=course.trainer)
    not_a_trainee = f"/checkin/{course.event.slug}/training/{trainer_row.pk}/{course.kickoff.pk}/"
    assert _client(course.trainer).post(not_a_trainee, {"value": "absent", "reason": "x"}).status_code == 404
    assert not AttendanceMark.objects.exists()

    session_service.session_start(session=course.upcoming)  # started early: now held, may be corrected
    assert _client(course.trainer).post(future, {"value": "excused", "reason": "Travel"}).status_code == 302


def test_the_rule_gives_each_trainee_the_gap_and_flags_who_is_behind_the_pace(course):
    grid = training.training_grid(event=course.event)
    zainab, ali = _row(grid, course.zainab)["standing"], _row(grid, course.ali)["standing"]
    # 80 % of 4 sessions: 4 to attend. Zainab attended 3 of 3 held, one is left.
    assert (zainab.attended, zainab.needed, zainab.gap, zainab.remaining, zainab.status) == (3, 4, 1, 1, "on_track")
    assert (ali.attended, ali.gap, ali.status, ali.flagged) == (1, 3, "out_of_reach", True)
    page = _client(course.trainer).get(f"/checkin/{course.event.slug}/training/").content.decode()
    assert f'<tr id="r{course.ali.pk}" class="flagged">' in page and f'<tr id="r{course.zainab.pk}">' in page


def test_the_rule_at_its_edges():
    behind = training.Standing(attended=3, excused=0, missed=2, held=5, total=20, threshold=80)
    assert (behind.needed, behind.gap, behind.status) == (16, 13, "at_risk")
    on_pace = training.Standing(attended=4, excused=0, missed=1, held=5, total=20, threshold=80)
    assert on_pace.status == "on_track" and not on_pace.flagged
    excused = training.Standing(attended=3, excused=1, missed=1, held=5, total=20, threshold=80)
    assert (excused.needed, excused.percent, excused.status) == (16, 75, "at_risk")
    done = training.Standing(attended=16, excused=0, missed=4, held=20, total=20, threshold=80)
    assert (done.gap, done.status) == (0, "met")
    hopeless = training.Standing(attended=0, excused=0, missed=10, held=10, total=12, threshold=80)
    assert hopeless.status == "out_of_reach"


def test_the_grid_reads_in_the_same_number_of_queries_for_2_or_12_trainees(actors, course):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert _client(course.trainer).get(f"/checkin/{course.event.slug}/training/").status_code == 200
        return len(queries)

    before = count()
    for i in range(10):
        RegistrationFactory(event=course.event, user=UserFactory(email=f"t{i}@example.org"))
        SessionFactory(event=course.event, starts_at=timezone.now() - timedelta(days=i + 1))
    assert count() == before


def test_the_csv_is_spreadsheet_safe_and_has_a_cell_per_session(course):
    course.ali.user.full_name = '=HYPERLINK("http://evil")'
    course.ali.user.save()
    response = _client(course.trainer).get(f"/checkin/{course.event.slug}/training.csv")
    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0][0] == "Name" and table[0][-1].endswith("Cloud: Cloud lecture")
    by_name = {row[0]: row for row in table[1:]}
    assert '\'=HYPERLINK("http://evil")' in by_name
    assert by_name["Zainab Candidate"][2:7] == ["3", "0", "0", "100", "1"]
    assert by_name["Zainab Candidate"][-4:] == ["present", "late", "present", ""]


def test_the_grid_reads_right_to_left_in_kurdish_with_its_words_in_sorani(course):
    page = _client(course.trainer).get(f"/checkin/{course.event.slug}/training/", HTTP_ACCEPT_LANGUAGE="ckb")
    text = page.content.decode()
    assert 'dir="rtl"' in text and "ئامادەبوون بە درێژایی مانگەکان" in text


def test_erasing_a_trainee_blanks_the_reasons_about_them_and_a_trainers_name_leaves_the_marks(course):
    from events import privacy

    training.attendance_mark(
        registration=course.ali, session=course.kickoff, value="excused", reason="Hospital visit", by=course.trainer
    )
    privacy.person_erase(user=course.ali.user, by=None)
    mark = AttendanceMark.objects.get()
    assert (mark.new, mark.reason, mark.by) == ("excused", "", course.trainer)
    privacy.person_erase(user=course.trainer, by=None)
    assert AttendanceMark.objects.get().by is None


def test_reading_the_training_pages_writes_nothing(actors, course):
    slug = course.event.slug
    pages = [
        (course.trainer, f"/checkin/{slug}/training/"),
        (course.trainer, f"/checkin/{slug}/training.csv"),
        (course.trainer, f"/checkin/{slug}/training/{course.ali.pk}/{course.kickoff.pk}/"),
        (course.trainer, f"/checkin/{slug}/training/{course.ali.pk}/{course.upcoming.pk}/"),
        (actors.candidate, f"/checkin/{slug}/progress/"),
    ]
    for user, path in pages:
        client = _client(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200, path
        writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
        assert writes == [], path
