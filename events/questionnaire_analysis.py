"""What a questionnaire's submitted answers say, question by question (issue 13, "Analysis people can look at").

One query reads the submitted responses with their stakeholder's name, type, country and city; the
counting is plain Python over those rows, so a summary costs the same few queries however many
questions and answers there are. Drafts (saved but not submitted) never count. Labels are picked in
the reader's language; skill names come from the taxonomy through events.hooks (events may not
import matching).

Shapes per question (`kind`):
- single, multiple, scale: `counts` [{"value", "label", "count"}] in the question's order;
- number: `stats` {"count", "min", "median", "max", "mean"} and `buckets` [{"low", "high", "label", "count"}];
- date: `counts` by month ("YYYY-MM"), earliest first;
- short_text, long_text: `texts` [{"text", "stakeholder", "kind", "country", "city"}];
- skills: `skills` [{"skill", "label", "count", "qualified", "levels": {0…5: n}}], most answered first.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from events import hooks
from events.models import Programme, Question, Questionnaire, QuestionnaireResponse, Stakeholder
from events.questionnaire_models import pick_text

QUALIFIED_LEVEL = 3  # as the skills-gap report: level 3 or more counts as holding a skill
MAX_BUCKETS = 8
SCALE_VALUES = (1, 2, 3, 4, 5)
RESPONSE_FIELDS = (
    "id",
    "answers",
    "submitted_at",
    "stakeholder_id",
    "stakeholder__name",
    "stakeholder__kind",
    "stakeholder__country",
    "stakeholder__city",
)


@dataclass(frozen=True)
class AnalysisFilters:
    """Already validated: a Stakeholder.Kind value, an ISO country code, a city (matched ignoring case)."""

    kind: str = ""
    country: str = ""
    city: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "country": self.country, "city": self.city}


@dataclass(frozen=True)
class ResponseRow:
    id: int
    answers: dict[str, Any]
    submitted_at: Any
    stakeholder_id: int
    stakeholder: str
    kind: str
    country: str
    city: str


def submitted_rows(*, questionnaire: Questionnaire, filters: AnalysisFilters | None = None) -> list[ResponseRow]:
    """The submitted responses and their stakeholder, in one query, oldest submission first."""
    filters = filters or AnalysisFilters()
    qs = QuestionnaireResponse.objects.filter(questionnaire=questionnaire, submitted_at__isnull=False)
    if filters.kind:
        qs = qs.filter(stakeholder__kind=filters.kind)
    if filters.country:
        qs = qs.filter(stakeholder__country=filters.country)
    if filters.city:
        qs = qs.filter(stakeholder__city__iexact=filters.city)
    return [
        ResponseRow(pk, answers if isinstance(answers, dict) else {}, *rest)
        for pk, answers, *rest in qs.order_by("submitted_at", "id").values_list(*RESPONSE_FIELDS)
    ]


def filter_options(*, questionnaire: Questionnaire) -> dict[str, list[str]]:
    """The types, countries and cities of the stakeholders who submitted, for the filter form."""
    rows = (
        Stakeholder.objects.filter(responses__questionnaire=questionnaire, responses__submitted_at__isnull=False)
        .values_list("kind", "country", "city")
        .distinct()
    )
    kinds, countries, cities = set(), set(), set()
    for kind, country, city in rows:
        kinds.add(kind)
        countries.add(country)
        if city:
            cities.add(city)
    return {"kinds": sorted(kinds), "countries": sorted(countries), "cities": sorted(cities)}


def skill_labels(*, language: str) -> dict[str, str]:
    """Skill slug → its name in `language`, from the taxonomy matching provides ({} without matching)."""
    provider = hooks.figure("skill_taxonomy")
    if provider is None:
        return {}
    return {row["slug"]: row["name"] for row in provider(language=language)}


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def whole(value: float | None) -> float | int | None:
    """A figure as a reader expects it: 350, not 350.0."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def nice_step(span: float, buckets: int = MAX_BUCKETS) -> float:
    """A bucket width of 1, 2 or 5 times a power of ten, so that `span` fits in at most `buckets`."""
    if span <= 0:
        return 1.0
    raw = span / buckets
    power = 10 ** math.floor(math.log10(raw))
    for step in (1, 2, 5, 10):
        if step * power >= raw:
            return float(step * power)
    return float(10 * power)  # pragma: no cover - the loop always returns


def _number(value: float) -> str:
    return f"{value:g}"


def histogram(values: list[float]) -> list[dict[str, Any]]:
    """Equal-width buckets [low, high) over the values, the last one closed; empty for no values."""
    if not values:
        return []
    low, high = min(values), max(values)
    whole = all(float(v).is_integer() for v in values)
    step = nice_step(high - low)
    if whole:  # counts of people or courses: no bucket narrower than one
        step = max(step, 1.0)
    start = math.floor(low / step) * step
    count = max(1, math.floor((high - start) / step) + 1)
    buckets = [0] * count
    for v in values:
        buckets[min(int((v - start) // step), count - 1)] += 1
    out = []
    for i, n in enumerate(buckets):
        b_low, b_high = start + i * step, start + (i + 1) * step
        label = _number(b_low) if whole and step == 1 else f"{_number(b_low)}–{_number(b_high)}"
        out.append({"low": b_low, "high": b_high, "label": label, "count": n})
    return out


def present(value: Any) -> bool:
    return value not in (None, "", [], {})


def _choice_counts(question: Question, answers: Iterable[Any], language: str) -> list[dict[str, Any]]:
    counter: Counter[str] = Counter()
    for answer in answers:
        for value in answer if isinstance(answer, list) else [answer]:
            if isinstance(value, str | int) and not isinstance(value, bool):
                counter[str(value)] += 1
    rows = []
    known = set()
    for option in question.options or []:
        value = str(option.get("value", ""))
        known.add(value)
        label = pick_text(option.get("label"), language) or value
        rows.append({"value": value, "label": label, "count": counter[value]})
    # A value no longer among the options (an option renamed after answers came in) still counts.
    rows.extend({"value": v, "label": v, "count": n} for v, n in sorted(counter.items()) if v not in known)
    return rows


def _scale_counts(
    question: Question, answers: Iterable[Any], language: str
) -> tuple[list[dict[str, Any]], float | None]:
    counter: Counter[int] = Counter(a for a in answers if isinstance(a, int) and not isinstance(a, bool))
    settings = question.settings or {}
    low, high = pick_text(settings.get("low"), language), pick_text(settings.get("high"), language)
    rows = []
    for value in SCALE_VALUES:
        label = str(value)
        if value == 1 and low:
            label = f"1 · {low}"
        elif value == 5 and high:
            label = f"5 · {high}"
        rows.append({"value": str(value), "label": label, "count": counter[value]})
    total = sum(counter[v] for v in SCALE_VALUES)
    mean = round(sum(v * counter[v] for v in SCALE_VALUES) / total, 2) if total else None
    return rows, mean


def _numbers(answers: Iterable[Any]) -> list[float]:
    return [float(a) for a in answers if isinstance(a, int | float) and not isinstance(a, bool) and math.isfinite(a)]


def _skills(answers: Iterable[Any], labels: Mapping[str, str]) -> list[dict[str, Any]]:
    levels: dict[str, Counter[int]] = defaultdict(Counter)
    for answer in answers:
        if not isinstance(answer, list):
            continue
        for item in answer:
            if isinstance(item, dict) and isinstance(item.get("skill"), str):
                level = item.get("level")
                levels[item["skill"]][level if isinstance(level, int) and 0 <= level <= 5 else 0] += 1
    rows = [
        {
            "skill": slug,
            "label": labels.get(slug, slug),
            "count": sum(c.values()),
            "qualified": sum(n for lv, n in c.items() if lv >= QUALIFIED_LEVEL),
            "levels": {lv: c[lv] for lv in range(6)},
        }
        for slug, c in levels.items()
    ]
    rows.sort(key=lambda r: (-r["count"], r["label"]))
    return rows


def question_summary(
    question: Question, rows: list[ResponseRow], *, language: str, labels: Mapping[str, str]
) -> dict[str, Any]:
    """One question's figures over the given responses."""
    answered = [(row, row.answers.get(question.key)) for row in rows if present(row.answers.get(question.key))]
    answers = [a for _row, a in answered]
    out: dict[str, Any] = {
        "key": question.key,
        "kind": question.kind,
        "text": pick_text(question.text, language) or question.key,
        "answered": len(answered),
    }
    kind = question.kind
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        out["counts"] = _choice_counts(question, answers, language)
    elif kind == Question.Kind.SCALE:
        out["counts"], out["mean"] = _scale_counts(question, answers, language)
    elif kind == Question.Kind.NUMBER:
        values = _numbers(answers)
        out["stats"] = {
            "count": len(values),
            "min": whole(min(values)) if values else None,
            "median": whole(median(values)),
            "max": whole(max(values)) if values else None,
            "mean": whole(round(sum(values) / len(values), 2)) if values else None,
        }
        out["buckets"] = histogram(values)
    elif kind == Question.Kind.DATE:
        months = Counter(a[:7] for a in answers if isinstance(a, str) and len(a) >= 7)
        out["counts"] = [{"value": m, "label": m, "count": n} for m, n in sorted(months.items())]
    elif kind in (Question.Kind.SHORT_TEXT, Question.Kind.LONG_TEXT):
        out["texts"] = [
            {"text": str(a), "stakeholder": r.stakeholder, "kind": r.kind, "country": r.country, "city": r.city}
            for r, a in answered
        ]
    elif kind == Question.Kind.SKILLS:
        out["purpose"] = question.skill_purpose
        out["skills"] = _skills(answers, labels)
    return out


def questions_of(questionnaire: Questionnaire) -> list[Question]:
    return list(questionnaire.questions.select_related("section").order_by("section__position", "position", "id"))


def questionnaire_summary(
    *,
    questionnaire: Questionnaire,
    language: str,
    filters: AnalysisFilters | None = None,
    labels: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Every question's figures over the submitted responses that match the filters."""
    filters = filters or AnalysisFilters()
    rows = submitted_rows(questionnaire=questionnaire, filters=filters)
    labels = skill_labels(language=language) if labels is None else labels
    sections: dict[int, dict[str, Any]] = {}
    for question in questions_of(questionnaire):
        section = sections.setdefault(
            question.section_id,
            {"title": pick_text(question.section.title, language), "questions": []},
        )
        section["questions"].append(question_summary(question, rows, language=language, labels=labels))
    by_kind = Counter(r.kind for r in rows)
    return {
        "id": questionnaire.pk,
        "title": pick_text(questionnaire.title, language),
        "programme": questionnaire.programme.slug,
        "filters": filters.as_dict(),
        "responses": len(rows),
        "by_kind": dict(sorted(by_kind.items())),
        "sections": list(sections.values()),
    }


def taught_skill_counts(*, programme: Programme) -> dict[str, int]:
    """Skill slug → how many submitted responses (curricula) of the programme's questionnaires teach it.

    A response naming a skill in several "taught" questions counts once for it.
    """
    keys: dict[int, list[str]] = defaultdict(list)
    for questionnaire_id, key in Question.objects.filter(
        questionnaire__programme=programme, kind=Question.Kind.SKILLS, skill_purpose=Question.SkillPurpose.TAUGHT
    ).values_list("questionnaire_id", "key"):
        keys[questionnaire_id].append(key)
    counts: Counter[str] = Counter()
    if not keys:
        return {}
    responses = QuestionnaireResponse.objects.filter(
        questionnaire_id__in=list(keys), submitted_at__isnull=False
    ).values_list("questionnaire_id", "answers")
    for questionnaire_id, answers in responses:
        if not isinstance(answers, dict):
            continue
        seen: set[str] = set()
        for key in keys[questionnaire_id]:
            for item in answers.get(key) or []:
                if isinstance(item, dict) and isinstance(item.get("skill"), str):
                    seen.add(item["skill"])
        counts.update(seen)
    return dict(counts)


def kind_labels() -> dict[str, str]:
    return {value: str(label) for value, label in Stakeholder.Kind.choices}
