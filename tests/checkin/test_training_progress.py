"""The trainee's own "my progress" page: attendance so far, sessions missed, what is left; nobody else's."""

from __future__ import annotations

from django.test import Client

from checkin import training
from tests.checkin.test_training_grid import make_training
from tests.factories import UserFactory


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_a_trainee_sees_their_attendance_what_they_missed_and_what_is_left(actors):
    course = make_training(actors)
    training.attendance_mark(
        registration=course.ali, session=course.lecture, value="excused", reason="Sick note", by=course.trainer
    )
    page = _client(course.ali.user).get(f"/checkin/{course.event.slug}/progress/")
    assert page.status_code == 200
    text = page.content.decode()
    # Ali: the kick-off missed, the lecture excused, the lab attended: 1 of 3 held, 80 % of 3 sessions needed.
    assert "You attended 1 of 3 sessions held so far (50 %)." in text
    assert "3 in all." in text and "2 more sessions to attend." in text and "1 session left in the programme." in text
    missed = text.split('data-list="missed"')[1].split("</ul>")[0]
    excused = text.split('data-list="excused"')[1].split("</ul>")[0]
    assert "Kick-off" in missed and "Python lecture" not in missed
    assert "Python lecture" in excused
    assert 'data-standing="out_of_reach"' in text
    assert "Zainab" not in text  # only their own


def test_progress_is_only_ever_the_signed_in_trainees_own(actors):
    course = make_training(actors)
    path = f"/checkin/{course.event.slug}/progress/"
    assert _client().get(path).status_code == 302
    assert _client(UserFactory(email="stranger@example.org")).get(path).status_code == 404
    assert _client(course.trainer).get(path).status_code == 404  # a trainer is not a trainee
    zainab = _client(actors.candidate).get(path).content.decode()
    assert "You attended 3 of 3 sessions held so far (100 %)." in zainab


def test_the_progress_page_reads_right_to_left_in_arabic(actors):
    course = make_training(actors)
    client = _client(actors.candidate)
    page = client.get(f"/checkin/{course.event.slug}/progress/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'dir="rtl"' in page
