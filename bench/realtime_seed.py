"""The fair bench/realtime.py measures: people, sessions, employers, tickets and door phones."""

from __future__ import annotations

import random
from typing import Any

from bench.database import fresh_database

SLUG = "bench-live"
MOVABLE = 30  # sessions that are delayed and moved in turn; the rest are there to be started
EMPLOYERS = 10
REPRESENTATIVES = 10
GATES = 4
SKILLS = [  # candidate profiles to draw from, as in matching_demo
    {"python": 4, "django": 3, "sql": 3, "git": 3},
    {"javascript": 4, "react": 3, "html-css": 4, "typescript": 2},
    {"sql": 4, "data-analysis": 4, "excel": 4, "data-visualisation": 3},
    {"linux": 4, "docker": 3, "aws": 2, "bash": 3},
    {"networking": 4, "cisco": 3, "network-security": 2},
    {"php": 4, "laravel": 3, "mysql": 3},
    {"flutter": 3, "dart": 3, "android": 2},
    {"ux-design": 3, "figma": 4, "ui-design": 3},
    {"cybersecurity": 3, "linux": 3, "networking": 3},
    {"project-management": 3, "agile": 3, "scrum": 3, "jira": 3},
]


class Fair:
    """What the seed made, in the form the driver needs."""

    organiser: str
    attendee_tokens: list[str]
    employer_tokens: list[str]
    movable: list[int]
    startable: list[int]
    rooms: list[int]
    device_tokens: list[str]
    scans: list[tuple[str, int | None]]  # (ticket payload, candidate's user id or None), in door order


def seed(people: int, sessions: int) -> Fair:
    """A fresh fair in a fresh database (bench/database.py): `people` attendees (eight in ten
    candidates) and `sessions` public sessions."""
    fresh_database()
    from datetime import timedelta

    from django.utils import timezone

    from checkin import services as checkin_services
    from checkin.models import Ticket
    from checkin.selectors import ticket_payload
    from events.models import ApiToken, Event, Organisation, Registration, Room, Session, User
    from matching.models import CandidateLanguage, CandidateProfile, CandidateSkill, Opening, OpeningSkill, Skill

    Event.objects.filter(slug=SLUG).delete()
    User.objects.filter(email__startswith="bench-rt-").delete()
    Organisation.objects.filter(name__startswith="Bench employer").delete()
    rng = random.Random(6)
    now = timezone.now()
    event = Event.objects.create(
        slug=SLUG, title="Bench live fair", kind=Event.Kind.JOB_FAIR, status=Event.Status.LIVE,
        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=10),
    )  # fmt: skip
    rooms = [Room.objects.create(event=event, name=name) for name in ("Hall A", "Hall B")]
    session_rows = Session.objects.bulk_create(
        [
            Session(
                event=event,
                title=f"Session {i}",
                room=rooms[0],
                starts_at=now + timedelta(hours=1, minutes=10 * i),
                ends_at=now + timedelta(hours=1, minutes=10 * i + 30),
            )
            for i in range(sessions)
        ]
    )
    skills = {s.slug: s for s in Skill.objects.all()}
    organiser = User.objects.create(email="bench-rt-organiser@example.org", is_staff=True)
    fair = Fair()

    def tokens(users: list[Any]) -> list[str]:
        raws, rows = [], []
        for user in users:
            raw = ApiToken.generate()
            raws.append(raw)
            rows.append(ApiToken(user=user, name="bench", prefix=raw[:8], key_hash=ApiToken.hash(raw)))
        ApiToken.objects.bulk_create(rows)
        return raws

    employers = []
    for e in range(EMPLOYERS):
        org = Organisation.objects.create(name=f"Bench employer {e}", kind=Organisation.Kind.EMPLOYER, country="LT")
        for o in range(2):
            wanted = SKILLS[(2 * e + o) % len(SKILLS)]
            opening = Opening.objects.create(event=event, organisation=org, title=f"Opening {e}.{o}", country="IQ")
            for slug, level in list(wanted.items())[:2]:
                if slug in skills:
                    OpeningSkill.objects.create(opening=opening, skill=skills[slug], required=True, min_level=level - 1)
        reps = User.objects.bulk_create(
            [User(email=f"bench-rt-e{e}-{r}@example.org", organisation=org) for r in range(REPRESENTATIVES)]
        )
        Registration.objects.bulk_create(
            [Registration(event=event, user=u, role=Registration.Role.EMPLOYER, organisation=org) for u in reps]
        )
        employers += reps
    users = User.objects.bulk_create(
        [User(email=f"bench-rt-{i}@example.org", full_name=f"Attendee {i}") for i in range(people)]
    )
    roles = [Registration.Role.CANDIDATE] * 8 + [Registration.Role.OFFICIAL, Registration.Role.SPEAKER]
    registrations = Registration.objects.bulk_create(
        [
            Registration(event=event, user=u, role=roles[i % len(roles)], consent_share_profile=True)
            for i, u in enumerate(users)
        ]
    )
    candidates = [r.user for r in registrations if r.role == Registration.Role.CANDIDATE]
    profiles = CandidateProfile.objects.bulk_create(
        [CandidateProfile(user=u, years_experience=rng.randint(0, 5), cities=["baghdad"]) for u in candidates]
    )
    CandidateSkill.objects.bulk_create(
        [
            CandidateSkill(profile=p, skill=skills[slug], level=max(1, min(5, level + rng.choice((-1, 0, 1)))))
            for p in profiles
            for slug, level in rng.choice(SKILLS).items()
            if slug in skills
        ]
    )
    CandidateLanguage.objects.bulk_create(
        [CandidateLanguage(profile=p, language=code, level=4) for p in profiles for code in ("ar", "en")]
    )
    checkin_services.tickets_issue_for_event(event=event)
    candidate_ids = {u.pk for u in candidates}
    door = [
        (ticket_payload(t), t.registration.user_id if t.registration.user_id in candidate_ids else None)
        for t in Ticket.objects.filter(event=event, registration__user__in=users).select_related("registration")
    ]
    rng.shuffle(door)
    fair.scans = door
    fair.device_tokens = [
        checkin_services.device_create(event=event, name=f"Gate {g}", created_by=organiser)[1] for g in range(GATES)
    ]
    fair.organiser = tokens([organiser])[0]
    fair.attendee_tokens = tokens(users)
    fair.employer_tokens = tokens(employers)
    fair.movable = [s.pk for s in session_rows[:MOVABLE]]
    fair.startable = [s.pk for s in session_rows[MOVABLE:]]
    fair.rooms = [r.pk for r in rooms]
    return fair
