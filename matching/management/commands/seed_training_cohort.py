"""`manage.py seed_training_cohort`: the demo training's cohort over five months, and what it led to.

Runs after `seed_demo`, `matching_demo`, `dialogue_demo` and `seed_programme` (`make demo`). The demo
training (`digital-explorers-ict-training`, seeded in the future by `seed_demo`) is moved once so that
its five months ended a little over a week ago; then its 20 trainees get:

- attendance at its 42 sessions: most came to nearly every one, some slipped in the second half, two
  stopped coming after two months (the grid flags them), a few arrived late; history older than the
  door's 24-hour offline window is written as the door writes it (`SessionAttendance`), and the
  trainer's corrections (excused, with a reason) go through `checkin.training.attendance_mark`;
- three assessment rounds (intake, midpoint, end) of the curriculum's skills by the trainer and a
  practical task (matching/assessments.py), and a final assessment (checkin/final_assessment.py);
- certificates for those who completed (matching/certificates.py);
- at today's fair, outcomes recorded by the employers for candidates they could see: interview
  invitations, interviews, a few offers and placements (matching/outcomes.py).

Deterministic (a seeded random generator) and idempotent: each step writes only what is missing.
The trainer signs in as trainer@explorers.example with the demo's password.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from checkin.final_assessment import final_assessment_record
from checkin.models import AttendanceMark, FinalAssessment, SessionAttendance
from checkin.selectors import ticket_for_registration
from checkin.training import attendance_mark, trainees, training_grid
from events.models import Event, Registration, Session, User
from matching import assessments, certificates, outcomes
from matching.models import Outcome, Skill
from matching.selectors import candidates_visible_to_employers

TRAINING = "digital-explorers-ict-training"
FAIR = "demo-fair-today"
ORGANISER = "organiser@explorers.example"
TRAINER = "trainer@explorers.example"
PASSWORD = "explorers-demo"
# The last session (the demo day) this many days before today.
ENDED_DAYS_AGO = 10
CURRICULUM = ["python", "django", "sql", "cloud", "cybersecurity", "data-analysis", "devops"]
# Share of sessions attended in the first and second half of the course, per kind of trainee.
PROFILES = [("steady", 0.95, 0.92)] * 12 + [("good", 0.88, 0.82)] * 4 + [("slipping", 0.85, 0.45)] * 2
PROFILES += [("stopped", 0.7, 0.0)] * 2
CITIES = ["Baghdad", "Baghdad", "Baghdad", "Erbil", "Erbil", "Basra", "Mosul", "Sulaymaniyah"]
EXCUSE_REASONS = ["Ill, with a doctor's note", "Family emergency", "University exam on the same day"]
# Outcomes at today's fair: (stage path, offer kind, country, work mode) for the first candidates seen.
OUTCOMES = [
    (["interviewed", "offer", "accepted", "started"], "internship", "LT", "remote"),
    (["interviewed", "offer", "accepted"], "job", "IQ", "on_site"),
    (["interviewed", "offer"], "internship", "LT", "on_site"),
    (["interviewed"], "", "", ""),
    (["interviewed"], "", "", ""),
    (["invited"], "", "", ""),
    (["invited"], "", "", ""),
    (["interviewed", "declined"], "", "", ""),
]


class Command(BaseCommand):
    help = "Give the demo training a five-month cohort (attendance, assessments, certificates) and the fair outcomes."

    def handle(self, *args: Any, **options: Any) -> None:
        training = Event.objects.filter(slug=TRAINING).first()
        organiser = User.objects.filter(email=ORGANISER).first()
        if training is None or organiser is None:
            raise CommandError("Run `manage.py seed_demo` first.")
        self.move_into_the_past(training)
        trainer = self.trainer(training)
        cohort = list(trainees(event=training))
        # A generator per step, so a step skipped on a second run leaves the others' draws as they were.
        self.self_declared(cohort, random.Random(141))
        sessions = list(training.sessions.exclude(status=Session.Status.CANCELLED).order_by("starts_at", "id"))
        self.attendance(training, cohort, sessions, trainer, random.Random(142))
        self.assessments(training, cohort, trainer, random.Random(143))
        issued = certificates.certificates_issue_completed(event=training, by=organiser)
        recorded = self.outcomes()
        self.stdout.write(
            f"training cohort ready: {len(cohort)} trainees, {len(sessions)} sessions, "
            f"{len(issued)} new certificates, {recorded} new outcomes"
        )

    def move_into_the_past(self, training: Event) -> None:
        """Once: the course (seeded to start in a few weeks) ran its five months and ended recently."""
        now = timezone.now()
        if training.starts_at <= now or SessionAttendance.objects.filter(session__event=training).exists():
            return
        tz = training.tzinfo
        first = training.starts_at.astimezone(tz).date()
        last = training.ends_at.astimezone(tz).date()
        target_end = timezone.localdate(timezone=tz) - timedelta(days=ENDED_DAYS_AGO)
        target_start = target_end - (last - first)
        target_start -= timedelta(days=(target_start.weekday() + 1) % 7)  # classes start on a Sunday
        shift = timedelta(days=(target_start - first).days)
        with transaction.atomic():
            Event.objects.filter(pk=training.pk).update(
                starts_at=training.starts_at + shift, ends_at=training.ends_at + shift
            )
            for session in training.sessions.all():
                Session.objects.filter(pk=session.pk).update(
                    starts_at=session.starts_at + shift, ends_at=session.ends_at + shift, status=Session.Status.ENDED
                )
        training.refresh_from_db()

    def trainer(self, training: Event) -> User:
        user = User.objects.filter(email=TRAINER).first()
        if user is None:
            user = User.objects.create_user(email=TRAINER, password=PASSWORD, full_name="Tomas Petrauskas (trainer)")
        Registration.objects.get_or_create(
            event=training,
            user=user,
            defaults={"role": Registration.Role.TRAINER, "status": Registration.Status.REGISTERED},
        )
        return user

    def self_declared(self, cohort: list[Registration], rng: random.Random) -> None:
        """What most trainees chose to say on the form (gender, city); a few left both empty."""
        if any(r.gender or r.city for r in cohort):
            return
        for registration in cohort[: len(cohort) - 3]:
            Registration.objects.filter(pk=registration.pk).update(
                gender=rng.choice(["woman", "woman", "man", "man", "man", "prefer_not"]),
                city=rng.choice(CITIES),
            )

    def attendance(
        self, training: Event, cohort: list[Registration], sessions: list[Session], trainer: User, rng: random.Random
    ) -> None:
        now = timezone.now()
        held = [s for s in sessions if s.starts_at <= now]
        if not held or SessionAttendance.objects.filter(session__event=training).exists():
            return
        middle = held[len(held) // 2].starts_at
        rows, excuses = [], []
        for registration, (_kind, first_half, second_half) in zip(cohort, PROFILES, strict=False):
            ticket = ticket_for_registration(registration=registration)
            if ticket is None:
                continue
            for session in held:
                share = first_half if session.starts_at < middle else second_half
                if rng.random() < share:
                    late = rng.random() < 0.1
                    minutes = rng.randint(15, 35) if late else rng.randint(-10, 5)
                    at = session.starts_at + timedelta(minutes=minutes)
                    rows.append(SessionAttendance(ticket=ticket, session=session, first_in_at=at, inside=False))
                elif share > 0.5 and rng.random() < 0.3:
                    excuses.append((registration, session, rng.choice(EXCUSE_REASONS)))
        SessionAttendance.objects.bulk_create(rows)
        for registration, session, reason in excuses:
            if not AttendanceMark.objects.filter(registration=registration, session=session).exists():
                attendance_mark(registration=registration, session=session, value="excused", reason=reason, by=trainer)

    def assessments(self, training: Event, cohort: list[Registration], trainer: User, rng: random.Random) -> None:
        skills = list(Skill.objects.filter(slug__in=CURRICULUM))
        if not skills:
            return
        order = {slug: i for i, slug in enumerate(CURRICULUM)}
        skills.sort(key=lambda s: order[s.slug])
        assessments.curriculum_set(event=training, skill_ids=[s.pk for s in skills], by=trainer)
        start = {(r.pk, s.pk): rng.choice([0, 1, 1, 2, 2, 3]) for r in cohort for s in skills}
        # Security and DevOps stay the weakest: the cohort gains less there.
        gain = {s.pk: (1 if s.slug in ("cybersecurity", "devops") else 2) for s in skills}
        rounds = {
            "intake": start,
            "midpoint": {k: min(5, v + rng.choice([0, 1, 1])) for k, v in start.items()},
            "end": {k: min(5, v + gain[k[1]] + rng.choice([-1, 0, 0, 1])) for k, v in start.items()},
        }
        for round_, levels in rounds.items():
            scores = {r.pk: rng.randint(45, 100) for r in cohort}
            assessments.trainer_levels_record(
                event=training, round=round_, levels=levels, by=trainer,
                task=f"Practical task: {round_}", task_max=100, task_scores=scores,
            )  # fmt: skip
        self.final_assessment(training, cohort, trainer, random.Random(144))

    def final_assessment(self, training: Event, cohort: list[Registration], trainer: User, rng: random.Random) -> None:
        if FinalAssessment.objects.filter(registration__event=training).exists():
            return
        held_on: date = training.ends_at.astimezone(training.tzinfo).date()
        rows = training_grid(event=training)["rows"]
        for row in rows:
            standing = row["standing"]
            if standing.gap:
                continue  # out of reach of the attendance rule: not assessed
            score = rng.randint(48, 96)
            final_assessment_record(
                registration=row["registration"], passed=score >= 55, held_on=held_on, by=trainer, score=score
            )

    def outcomes(self) -> int:
        """Employers at today's fair record what followed for candidates they could see there."""
        fair = Event.objects.filter(slug=FAIR).first()
        if fair is None:
            return 0
        employers = list(
            Registration.objects.filter(
                event=fair, role=Registration.Role.EMPLOYER, status=Registration.Status.REGISTERED,
                organisation__isnull=False,
            ).select_related("user", "organisation").order_by("organisation__name", "user__email")
        )  # fmt: skip
        candidates = (
            Registration.objects.filter(
                event=fair, role=Registration.Role.CANDIDATE, status=Registration.Status.REGISTERED
            )
            .order_by("user__email")
            .values_list("user_id", flat=True)
        )
        visible = candidates_visible_to_employers(event=fair, user_ids=set(candidates))
        people = [pk for pk in candidates if pk in visible]
        if not employers or not people:
            return 0
        recorded = 0
        now = timezone.now()
        for i, (path, kind, country, mode) in enumerate(OUTCOMES[: len(people)]):
            employer = employers[i % len(employers)]
            candidate_id = people[i]
            if Outcome.objects.filter(event=fair, candidate_id=candidate_id).exists():
                continue
            for step, stage in enumerate(["invited", *[s for s in path if s != "invited"]]):
                offer = {"offer_kind": kind, "offer_country": country, "work_mode": mode} if stage == "offer" else {}
                outcomes.outcome_record(
                    event=fair, actor=employer.user, candidate_id=candidate_id, stage=stage,
                    now=now - timedelta(minutes=10 * (len(path) - step)), **offer,
                )  # fmt: skip
            recorded += 1
        return recorded
