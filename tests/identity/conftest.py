"""Fixtures for the identity tests: a person whose data an attacker wants to change, and emails that leave."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass

import pytest
from django.core import mail
from django.core.files.base import ContentFile

from events.models import Registration, User
from matching.models import CandidateProfile
from tests.calendar.mailbox import calendar_alone
from tests.factories import EventFactory, RegistrationFactory, UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Victim:
    user: User
    elsewhere: Registration  # a registration at another event, without consent


@pytest.fixture
def victim(actors) -> Iterator[Victim]:
    """A candidate with an account, a CV and a registration at another event; not at the job fair, no consent."""
    user = UserFactory(email="victim@example.org", full_name="Vida Victim", language="lt")
    other = EventFactory(slug="spring-training", title="Spring ICT Training")
    elsewhere = RegistrationFactory(event=other, user=user, role=Registration.Role.CANDIDATE, language="lt")
    profile = CandidateProfile.objects.create(user=user, headline="Django developer")
    profile.cv.save("cv.pdf", ContentFile(PDF))
    yield Victim(user=user, elsewhere=elsewhere)
    profile.cv.delete(save=False)


@pytest.fixture
def sent(django_capture_on_commit_callbacks) -> Callable[[], AbstractContextManager]:
    """`with sent(): …` runs what the block commits (emails go out inline in tests) and clears the outbox first."""

    def context() -> AbstractContextManager:
        mail.outbox.clear()
        return django_capture_on_commit_callbacks(execute=True)

    return context


def to(address: str) -> list:
    """Emails to `address` that are not calendar invitations (another feature's)."""
    return [m for m in mail.outbox if m.to == [address] and not calendar_alone(m)]


def link_in(message, path: str) -> str:
    """The path of the first link in the email that starts with `path` (e.g. /me/link/)."""
    found = re.search(rf"http://testserver({re.escape(path)}[^\s\"<]+)", message.body)
    assert found, message.body
    return found.group(1)


def page_text(body: bytes, email: str) -> str:
    """A page as a comparison sees it: the address replaced, and per-response secrets (CSRF, nonces) removed."""
    text = body.decode().replace(email, "<email>")
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"', text)
    return re.sub(r'nonce="[^"]+"', 'nonce=""', text)
