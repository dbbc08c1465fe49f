"""The CSVs of every submitted answer: per questionnaire (wide) and per programme (long).

Spreadsheet-safe (no cell starts a formula, events.csv_rows.spreadsheet_safe) and with a BOM, so a
spreadsheet opened with a double click reads Arabic as it is. Drafts are never exported.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from typing import Any

from events.csv_rows import spreadsheet_safe
from events.models import Programme, Question, Questionnaire, QuestionnaireResponse
from events.questionnaire_analysis import RESPONSE_FIELDS, AnalysisFilters, present, questions_of, submitted_rows
from events.questionnaire_models import pick_text

FIXED_COLUMNS = ["response", "submitted_at", "stakeholder", "type", "country", "city"]


def answer_cell(question: Question, value: Any) -> str:
    if not present(value):
        return ""
    if question.kind == Question.Kind.SKILLS and isinstance(value, list):
        return "; ".join(
            f"{item.get('skill')}:{item.get('level')}" for item in value if isinstance(item, dict) and item.get("skill")
        )
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def answers_csv(*, questionnaire: Questionnaire, filters: AnalysisFilters | None = None) -> str:
    """One row per submitted response, a column per question key, with the stakeholder's name, type and place.

    Spreadsheet-safe (no cell starts a formula) and with a BOM, so Excel reads Arabic as it is.
    """
    questions = questions_of(questionnaire)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIXED_COLUMNS + [q.key for q in questions])
    for row in submitted_rows(questionnaire=questionnaire, filters=filters):
        fixed = [row.id, row.submitted_at.isoformat(timespec="seconds"), row.stakeholder, row.kind, row.country]
        cells = [*fixed, row.city] + [answer_cell(q, row.answers.get(q.key)) for q in questions]
        writer.writerow([spreadsheet_safe(c) for c in cells])
    return out.getvalue()


LONG_COLUMNS = ["questionnaire", "title", *FIXED_COLUMNS, "question", "answer"]


def programme_answers_csv(*, programme: Programme, language: str) -> str:
    """Every submitted answer of every questionnaire of the programme, one row per answer (long format).

    Questionnaires ask different questions, so one row per response would have no common columns;
    the per-questionnaire CSV (`answers_csv`) has the wide shape.
    """
    questions: dict[int, list[Question]] = defaultdict(list)
    titles: dict[int, str] = {}
    for question in (
        Question.objects.filter(questionnaire__programme=programme)
        .select_related("section", "questionnaire")
        .order_by("questionnaire_id", "section__position", "position", "id")
    ):
        questions[question.questionnaire_id].append(question)
        titles[question.questionnaire_id] = pick_text(question.questionnaire.title, language)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(LONG_COLUMNS)
    responses = (
        QuestionnaireResponse.objects.filter(questionnaire__programme=programme, submitted_at__isnull=False)
        .order_by("questionnaire_id", "submitted_at", "id")
        .values_list("questionnaire_id", *RESPONSE_FIELDS)
    )
    for questionnaire_id, pk, answers, submitted_at, _sid, name, kind, country, city in responses:
        answers = answers if isinstance(answers, dict) else {}
        fixed = [questionnaire_id, titles.get(questionnaire_id, ""), pk, submitted_at.isoformat(timespec="seconds")]
        for question in questions.get(questionnaire_id, []):
            value = answer_cell(question, answers.get(question.key))
            if value:
                cells = [*fixed, name, kind, country, city, question.key, value]
                writer.writerow([spreadsheet_safe(c) for c in cells])
    return out.getvalue()
