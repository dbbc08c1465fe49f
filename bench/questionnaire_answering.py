"""Time answering a questionnaire through a personal link, and the organisers' tracking page (issue 13).

    .venv/bin/python bench/questionnaire_answering.py                      # 500 invitations, 30 runs
    .venv/bin/python bench/questionnaire_answering.py --invitations 500 --questions 40 --runs 30

Seeds its own database (var/bench-questionnaire-answering.sqlite3, recreated each run, or the
DATABASE_URL given): a programme with `--invitations` stakeholders, one contact each, and an open
questionnaire of `--questions` questions of every kind (every fifth shown only on an earlier answer)
sent to all of them, a third of them answered. Then, through Django's test client, it times the
answering page, a save of two answers, a submit, and the tracking page (as an organiser) `--runs`
times each after a warm-up, with the stakeholder directory (the page organisers read beside it,
over the same stakeholders) as the baseline; prints the median of each, the ratio of tracking to
the baseline and the queries per request.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path[0] = str(BASE)

from bench.database import environment, fresh_database  # noqa: E402

environment("questionnaire-answering")

KINDS = ("single", "multiple", "scale", "number", "short_text", "long_text", "date", "skills")


def seed(invitations: int, questions: int) -> tuple:
    fresh_database()
    from datetime import date, timedelta

    from django.utils import timezone

    from events import questionnaire_answers
    from events.models import (
        Programme,
        Question,
        Questionnaire,
        QuestionnaireInvitation,
        QuestionnaireSection,
        Stakeholder,
        StakeholderContact,
        User,
    )
    from events.questionnaire_links import token_hash
    from matching.models import Skill

    now = timezone.now()
    Skill.objects.get_or_create(slug="python", defaults={"name": "Python"})
    programme = Programme.objects.create(slug="bench-programme", name="Bench programme")
    organiser = User.objects.create(email="bench-organiser@example.org", is_staff=True, full_name="Organiser")
    questionnaire = Questionnaire.objects.create(
        programme=programme, title={"en": "Bench"}, status=Questionnaire.Status.OPEN, link_days=30
    )
    section = QuestionnaireSection.objects.create(questionnaire=questionnaire, title={"en": "All"})
    options = [{"value": v, "label": {"en": v, "ar": v}} for v in ("a", "b", "c")]
    made = []
    for n in range(questions):
        kind = KINDS[n % len(KINDS)]
        parent = made[-1] if n % 5 == 4 and made and made[-1].kind == "single" else None
        made.append(
            Question.objects.create(
                questionnaire=questionnaire,
                section=section,
                position=n,
                key=f"q{n}",
                kind=kind,
                text={"en": f"Question {n}", "ar": f"سؤال {n}"},
                options=options if kind in ("single", "multiple") else [],
                settings={"min": 0, "max": 1000} if kind == "number" else {},
                show_if=parent,
                show_if_values=["a"] if parent else [],
            )
        )
    kinds = [k for k, _label in Stakeholder.Kind.choices]
    for n in range(invitations):
        stakeholder = Stakeholder.objects.create(
            programme=programme, name=f"Organisation {n}", kind=kinds[n % len(kinds)], country="IQ", city="Baghdad"
        )
        contact = StakeholderContact.objects.create(
            stakeholder=stakeholder,
            name=f"Contact {n}",
            email=f"contact{n}@example.org",
            consent_basis="in_writing",
            consent_given_on=date(2026, 11, 1),
        )
        invitation = QuestionnaireInvitation.objects.create(
            questionnaire=questionnaire,
            stakeholder=stakeholder,
            contact=contact,
            email=contact.email,
            language="ar",
            token_hash=token_hash(f"bench-{n}"),
            sent_at=now,
            expires_at=now + timedelta(days=30),
        )
        if n % 3 == 0:
            questionnaire_answers.response_save(invitation=invitation, changes={"q2": 3})
    return programme, questionnaire, organiser


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--invitations", type=int, default=500)
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    programme, questionnaire, organiser = seed(args.invitations, args.questions)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    person = Client()
    staff = Client()
    staff.force_login(organiser)
    link = "/q/bench-1/"
    body = {"changes": {"q2": 4, "q0": "a"}, "language": "ar"}
    calls = {
        "answering page": lambda: person.get(link),
        "save": lambda: person.post(link + "save", body, content_type="application/json"),
        "submit": lambda: person.post(link + "submit", body, content_type="application/json"),
        "tracking page": lambda: staff.get(f"/programmes/{programme.slug}/questionnaires/{questionnaire.pk}/tracking"),
        "directory (baseline)": lambda: staff.get(f"/programmes/{programme.slug}/stakeholders/"),
    }
    times: dict[str, list[float]] = {name: [] for name in calls}
    queries = {}
    for name, call in calls.items():  # warm-up, and the query count
        with CaptureQueriesContext(connection) as captured:
            response = call()
        assert response.status_code == 200, (name, response.status_code)
        queries[name] = len(captured)
    for _ in range(args.runs):
        for name, call in calls.items():
            began = time.perf_counter()
            call()
            times[name].append((time.perf_counter() - began) * 1000)
    print(f"{args.invitations} invitations, {args.questions} questions; {args.runs} runs each")
    for name in calls:
        print(f"  {name:21} median {statistics.median(times[name]):7.1f} ms  {queries[name]:3d} queries")
    ratio = statistics.median(times["tracking page"]) / statistics.median(times["directory (baseline)"])
    print(f"  tracking / baseline   {ratio:.2f}×")


if __name__ == "__main__":
    main()
