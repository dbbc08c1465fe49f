"""`make run`'s demo: employers and officials are granted members, one admin per organisation, and
every role printed by `make run` signs in with the demo password and reaches its own pages."""

from __future__ import annotations

import io
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.test import Client

from events.models import Membership, Registration
from matching.models import Skill

FAIR = "digital-explorers-job-fair-baghdad"
DIALOGUE = "lt-iq-policy-dialogue-vilnius"


@pytest.fixture
def demo(db) -> str:
    if not Skill.objects.exists():  # a transactional test before this one flushed the migration's taxonomy
        from matching.taxonomy import load_skills

        load_skills(Skill)
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    call_command("matching_demo", stdout=io.StringIO())
    return out.getvalue()


def test_demo_employers_and_officials_are_granted_members_with_one_admin_each(demo):
    speakers_for = Registration.objects.filter(role__in=["employer", "official"]).values_list(
        "user_id", "organisation_id"
    )
    granted = set(Membership.objects.filter(status="granted").values_list("user_id", "organisation_id"))
    assert set(speakers_for) <= granted
    admins = Counter(Membership.objects.filter(is_admin=True).values_list("organisation_id", flat=True))
    assert set(admins) == {org for _user, org in granted} and set(admins.values()) == {1}


ROLE_PAGES = {
    "organiser": ("/admin/", "/organisations/requests/"),
    "door staff": (f"/checkin/{FAIR}/scan",),
    "employer": (f"/matching/{FAIR}/board/", f"/api/v1/matching/events/{FAIR}/leads"),
    "candidate": (f"/matching/{FAIR}/me/",),
    "official": (f"/api/v1/matching/events/{DIALOGUE}/wishes",),
}


def test_every_role_printed_by_the_demo_signs_in_and_reaches_its_pages(demo):

    found = re.findall(r"(Organiser|Door staff|Employer|Candidate|Official): (\S+@\S+) / (\S+)", demo)
    logins = {role.lower(): (email, password) for role, email, password in found}
    assert set(logins) == set(ROLE_PAGES)
    for role, (email, password) in logins.items():
        client = Client()
        r = client.post("/me/sign-in/?next=/me/", {"username": email, "password": password})
        assert (r.status_code, r["Location"]) == (302, "/me/"), role
        for path in ROLE_PAGES[role]:
            assert client.get(path).status_code == 200, (role, path)


def test_make_run_prints_the_same_logins(demo):
    from pathlib import Path

    from django.conf import settings

    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text()
    run = makefile[makefile.index("\nrun:") : makefile.index("\ntest:")]
    for email in re.findall(r"\S+@\S+\.example", demo):
        assert email in run
