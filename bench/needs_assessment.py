"""Time a questionnaire's summary and the programme's three-way skills gap against baselines in the same run.

    .venv/bin/python bench/needs_assessment.py                     # 500 stakeholders, 2,000 responses
    .venv/bin/python bench/needs_assessment.py --stakeholders 500 --responses 2000 --runs 20

Seeds its own database (var/bench-needs.sqlite3, recreated each run, or the DATABASE_URL given): a
programme with `--stakeholders` stakeholders of every type in four cities, a curriculum review of
ten questions (single, multiple, scale, number, short and long text, date, skills taught and
needed) answered `--responses` times (each stakeholder through several contacts, a tenth left as
drafts), every answer naming skills from the whole taxonomy; an event of the programme with 200
openings asking for skills and 500 candidates holding some.

Then it times, `--runs` times each after a warm-up and alternating: the summary
(events.questionnaire_analysis.questionnaire_summary), the three-way gap
(matching.programme_gap.programme_gap), both pages as an organiser through Django's test client,
and two baselines: a plain read of the same response rows (the least any summary costs) and the
existing event skills-gap report (matching.gap_report.gap_report). It prints each median, the
queries, and the ratios against the baselines.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path[0] = str(BASE)

from bench.database import environment, fresh_database  # noqa: E402

environment("needs")

CITIES = [("IQ", "Baghdad"), ("IQ", "Erbil"), ("IQ", "Basra"), ("LT", "Vilnius")]


def seed(stakeholders: int, responses: int) -> tuple:
    fresh_database()
    from datetime import timedelta

    from django.utils import timezone

    from events.models import (
        Event,
        Organisation,
        Programme,
        Question,
        Questionnaire,
        QuestionnaireInvitation,
        QuestionnaireResponse,
        QuestionnaireSection,
        Registration,
        Stakeholder,
        User,
    )
    from matching.models import CandidateProfile, CandidateSkill, Opening, OpeningSkill, Skill

    rng = random.Random(13)
    now = timezone.now()
    skills = list(Skill.objects.values_list("pk", "slug"))
    slugs = [slug for _pk, slug in skills]
    programme = Programme.objects.create(slug="bench-needs", name="Bench needs assessment")
    organiser = User.objects.create(email="bench-organiser@example.org", is_staff=True, full_name="Organiser")
    kinds = [k for k, _label in Stakeholder.Kind.choices]
    holders = Stakeholder.objects.bulk_create(
        [
            Stakeholder(
                programme=programme, name=f"Stakeholder {i}", kind=kinds[i % len(kinds)],
                country=CITIES[i % 4][0], city=CITIES[i % 4][1],
            )
            for i in range(stakeholders)
        ]
    )  # fmt: skip
    q = Questionnaire.objects.create(
        programme=programme, title={"en": "ICT curriculum review"}, status=Questionnaire.Status.OPEN
    )
    section = QuestionnaireSection.objects.create(questionnaire=q, title={"en": "All"})
    options = [{"value": f"o{i}", "label": {"en": f"Option {i}", "ar": f"خيار {i}"}} for i in range(6)]
    specs = [
        ("delivery", "single", {"options": options}),
        ("languages", "multiple", {"options": options}),
        ("industry", "scale", {}),
        ("practice", "scale", {}),
        ("graduates", "number", {"settings": {"min": 0}}),
        ("courses", "short_text", {}),
        ("gaps", "long_text", {}),
        ("reviewed", "date", {}),
        ("taught", "skills", {"skill_purpose": "taught"}),
        ("needed", "skills", {"skill_purpose": "needed"}),
    ]
    for position, (key, kind, fields) in enumerate(specs):
        Question.objects.create(
            questionnaire=q, section=section, position=position, key=key, kind=kind, text={"en": key}, **fields
        )
    invitations, answers = [], []
    for i in range(responses):
        invitations.append(
            QuestionnaireInvitation(
                questionnaire=q, stakeholder=holders[i % stakeholders], token_hash=f"{i:064d}",
                expires_at=now + timedelta(days=30),
            )
        )  # fmt: skip
        answers.append(
            {
                "delivery": f"o{rng.randrange(6)}",
                "languages": rng.sample([o["value"] for o in options], 2),
                "industry": rng.randint(1, 5),
                "practice": rng.randint(1, 5),
                "graduates": rng.randint(0, 900),
                "courses": f"Course list {i}",
                "gaps": f"Labs and industry projects are missing ({i})",
                "reviewed": f"2026-{rng.randint(1, 12):02d}-01",
                "taught": [{"skill": s, "level": rng.randint(1, 5)} for s in rng.sample(slugs, 8)],
                "needed": [{"skill": s, "level": rng.randint(1, 5)} for s in rng.sample(slugs, 4)],
            }
        )
    invitations = QuestionnaireInvitation.objects.bulk_create(invitations)
    QuestionnaireResponse.objects.bulk_create(
        [
            QuestionnaireResponse(
                questionnaire=q, invitation=inv, stakeholder_id=inv.stakeholder_id, answers=a,
                submitted_at=None if n % 10 == 0 else now - timedelta(minutes=n),
            )
            for n, (inv, a) in enumerate(zip(invitations, answers, strict=True))
        ]
    )  # fmt: skip

    event = Event.objects.create(
        slug="bench-needs-fair", title="Bench fair", programme=programme, timezone="Asia/Baghdad",
        starts_at=now + timedelta(days=7), ends_at=now + timedelta(days=7, hours=8),
    )  # fmt: skip
    employer = Organisation.objects.create(name="Bench employer", country="LT")
    openings = Opening.objects.bulk_create(
        [Opening(event=event, organisation=employer, title=f"Opening {i}", seats=rng.randint(1, 3)) for i in range(200)]
    )
    OpeningSkill.objects.bulk_create(
        [
            OpeningSkill(opening=o, skill_id=pk, required=rng.random() < 0.7, min_level=3)
            for o in openings
            for pk, _slug in rng.sample(skills, 5)
        ]
    )
    users = User.objects.bulk_create(
        [User(email=f"bench-candidate-{i}@example.org", full_name=f"Candidate {i}") for i in range(500)]
    )
    Registration.objects.bulk_create(
        [Registration(event=event, user=u, role=Registration.Role.CANDIDATE) for u in users]
    )
    profiles = CandidateProfile.objects.bulk_create([CandidateProfile(user=u) for u in users])
    CandidateSkill.objects.bulk_create(
        [
            CandidateSkill(profile=p, skill_id=pk, level=rng.randint(1, 5))
            for p in profiles
            for pk, _slug in rng.sample(skills, 8)
        ]
    )
    return programme, q, event, organiser, len(skills)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stakeholders", type=int, default=500)
    parser.add_argument("--responses", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    programme, questionnaire, event, organiser, skill_count = seed(args.stakeholders, args.responses)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from events.models import QuestionnaireResponse
    from events.questionnaire_analysis import RESPONSE_FIELDS, questionnaire_summary
    from matching.gap_report import gap_report
    from matching.programme_gap import programme_gap

    client = Client()
    client.force_login(organiser)

    def page(path: str):
        def get() -> None:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        return get

    def plain_read() -> None:
        rows = QuestionnaireResponse.objects.filter(questionnaire=questionnaire, submitted_at__isnull=False)
        list(rows.order_by("submitted_at", "id").values_list(*RESPONSE_FIELDS))

    def summary_and_gap() -> None:
        questionnaire_summary(questionnaire=questionnaire, language="en")
        programme_gap(programme=programme)

    tasks = {
        "summary": lambda: questionnaire_summary(questionnaire=questionnaire, language="en"),
        "three-way gap": lambda: programme_gap(programme=programme),
        "summary + gap": summary_and_gap,
        "summary page": page(f"/programmes/{programme.slug}/questionnaires/{questionnaire.pk}/summary"),
        "gap page": page(f"/programmes/{programme.slug}/skills-gap"),
        "baseline: plain read": plain_read,
        "baseline: event gap": lambda: gap_report(event=event),
    }
    times: dict[str, list[float]] = {name: [] for name in tasks}
    queries = {}
    for name, task in tasks.items():  # warm-up, and the query count
        with CaptureQueriesContext(connection) as captured:
            task()
        queries[name] = len(captured)
    for _ in range(args.runs):
        for name, task in tasks.items():
            began = time.perf_counter()
            task()
            times[name].append((time.perf_counter() - began) * 1000)
    submitted = QuestionnaireResponse.objects.filter(questionnaire=questionnaire, submitted_at__isnull=False).count()
    print(
        f"{args.stakeholders} stakeholders, {args.responses} responses ({submitted} submitted), "
        f"{skill_count} skills, {args.runs} runs each"
    )
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name in tasks:
        print(f"  {name:22} median {medians[name]:7.1f} ms  {queries[name]:3d} queries")
    print(f"  summary / plain read        {medians['summary'] / medians['baseline: plain read']:.2f}×")
    print(f"  three-way gap / event gap   {medians['three-way gap'] / medians['baseline: event gap']:.2f}×")
    verdict = "under" if medians["summary + gap"] < 1000 else "OVER"
    print(f"  summary + gap               {medians['summary + gap']:.0f} ms ({verdict} the 1 s target)")


if __name__ == "__main__":
    main()
