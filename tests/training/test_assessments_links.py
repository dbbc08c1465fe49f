"""The training's pages are reachable from the event page and from /me/, each for whom it is meant."""

from __future__ import annotations

from django.test import Client

from tests.checkin.test_training_grid import make_training


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_the_event_page_links_each_person_to_their_training_pages(actors):
    course = make_training(actors)
    path = f"/events/{course.event.slug}/"
    slug = course.event.slug
    progress, grid = f'href="/checkin/{slug}/progress/"', f'href="/checkin/{slug}/training/"'
    skills, final = f'href="/matching/{slug}/training/assessments/"', f'href="/checkin/{slug}/training/final/"'
    trainee = _client(course.ali.user).get(path).content.decode()
    assert progress in trainee and skills in trainee and grid not in trainee and final not in trainee
    for user in (course.trainer, actors.organiser):
        page = _client(user).get(path).content.decode()
        assert grid in page and skills in page and final in page and progress not in page
    outsider = _client(actors.outsider).get(path).content.decode()
    assert grid not in outsider and progress not in outsider and skills not in outsider
    # Not on a job fair's page.
    assert "/progress/" not in _client(actors.candidate).get(f"/events/{actors.event.slug}/").content.decode()


def test_me_links_a_trainee_to_their_progress_and_a_trainer_to_the_grid(actors):
    course = make_training(actors)
    slug = course.event.slug
    assert f'href="/checkin/{slug}/progress/"' in _client(course.ali.user).get("/me/").content.decode()
    assert f'href="/checkin/{slug}/training/"' in _client(course.trainer).get("/me/").content.decode()
    assert f'href="/checkin/{slug}/training/"' not in _client(course.ali.user).get("/me/").content.decode()
