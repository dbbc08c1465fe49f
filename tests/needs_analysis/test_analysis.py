"""The summary of a questionnaire's answers: counts, distributions, free text, skills, filters, CSV."""

from __future__ import annotations

import csv
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.questionnaire_analysis import AnalysisFilters, histogram, questionnaire_summary, taught_skill_counts
from events.questionnaire_csv import answers_csv, programme_answers_csv


def _questions(summary) -> dict:
    return {q["key"]: q for section in summary["sections"] for q in section["questions"]}


def test_choices_are_counted_with_labels_in_the_readers_language(world):
    summary = questionnaire_summary(questionnaire=world.questionnaire, language="ar")
    q = _questions(summary)
    assert summary["title"] == "مراجعة مناهج تكنولوجيا المعلومات"
    assert summary["responses"] == 3
    assert [(c["label"], c["count"]) for c in q["delivery"]["counts"]] == [("حضوري", 2), ("عبر الإنترنت", 1)]
    # Lithuanian has no label: English is shown.
    langs = _questions(questionnaire_summary(questionnaire=world.questionnaire, language="lt"))["languages"]
    assert [(c["label"], c["count"]) for c in langs["counts"]] == [("Arabic", 2), ("English", 2)]


def test_a_draft_does_not_count(world):
    q = _questions(questionnaire_summary(questionnaire=world.questionnaire, language="en"))
    assert q["graduates"]["stats"]["max"] == 120  # the draft's 9999 is left out
    assert "rust" not in {s["skill"] for s in q["taught"]["skills"]}


def test_scale_counts_every_point_and_labels_its_ends(world):
    q = _questions(questionnaire_summary(questionnaire=world.questionnaire, language="en"))["industry"]
    assert [c["count"] for c in q["counts"]] == [0, 1, 0, 1, 1]
    assert q["counts"][0]["label"] == "1 · None"
    assert q["mean"] == round((2 + 4 + 5) / 3, 2)


def test_numbers_have_min_median_max_and_a_histogram(world):
    q = _questions(questionnaire_summary(questionnaire=world.questionnaire, language="en"))["graduates"]
    assert q["stats"] == {"count": 3, "min": 15, "median": 40, "max": 120, "mean": round(175 / 3, 2)}
    assert sum(b["count"] for b in q["buckets"]) == 3
    assert q["buckets"][0]["low"] <= 15 and q["buckets"][-1]["high"] > 120


def test_histogram_of_small_whole_numbers_has_one_bucket_per_value():
    buckets = histogram([1, 2, 2, 3])
    assert [(b["label"], b["count"]) for b in buckets] == [("1", 1), ("2", 2), ("3", 1)]
    assert histogram([]) == []
    assert [b["count"] for b in histogram([7.5, 7.5])] == [2]


def test_free_text_is_listed_with_its_stakeholder(world):
    q = _questions(questionnaire_summary(questionnaire=world.questionnaire, language="en"))["gaps"]
    assert [(t["stakeholder"], t["city"]) for t in q["texts"]] == [
        ("University of Baghdad", "Baghdad"),
        ("Erbil Polytechnic", "Erbil"),
    ]


def test_skills_are_counted_per_skill_and_level(world):
    q = _questions(questionnaire_summary(questionnaire=world.questionnaire, language="en"))["taught"]
    python = next(s for s in q["skills"] if s["skill"] == "python")
    assert (python["count"], python["qualified"], python["levels"][3], python["levels"][4]) == (2, 2, 1, 1)
    assert python["label"] == "Python"  # the taxonomy's name, through events.hooks
    assert q["skills"][0]["skill"] == "python"  # most answered first
    assert q["purpose"] == "taught"


def test_filters_by_type_country_and_city(world):
    def responses(**filters) -> int:
        summary = questionnaire_summary(
            questionnaire=world.questionnaire, language="en", filters=AnalysisFilters(**filters)
        )
        return summary["responses"]

    assert responses(kind="university") == 2
    assert responses(country="LT") == 1
    assert responses(city="erbil") == 1
    assert responses(kind="tech_hub", country="IQ") == 0


def test_summary_reads_the_responses_in_one_query(world):
    questionnaire_summary(questionnaire=world.questionnaire, language="en", labels={})  # warm up
    with CaptureQueriesContext(connection) as captured:
        questionnaire_summary(questionnaire=world.questionnaire, language="en", labels={})
    response_queries = [q for q in captured.captured_queries if "questionnaireresponse" in q["sql"]]
    assert len(response_queries) == 1
    assert len(captured.captured_queries) <= 3


def test_taught_counts_each_curriculum_once_per_skill(world):
    counts = taught_skill_counts(programme=world.programme)
    assert counts == {"python": 2, "java": 1, "cobol-legacy": 1}  # "needed" skills are not taught


def test_csv_has_a_row_per_response_and_a_column_per_question_and_is_spreadsheet_safe(world):
    text = answers_csv(questionnaire=world.questionnaire)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 3
    assert list(rows[0])[:6] == ["response", "submitted_at", "stakeholder", "type", "country", "city"]
    assert {"delivery", "languages", "industry", "graduates", "gaps", "taught", "needed"} <= set(rows[0])
    baghdad = next(r for r in rows if r["stakeholder"] == "University of Baghdad")
    assert baghdad["languages"] == "ar; en"
    assert baghdad["taught"] == "python:3; cobol-legacy:2; java:4"
    assert baghdad["gaps"].startswith("'=")  # a formula stays text


def test_programme_csv_has_a_row_per_answer(world):
    rows = list(csv.DictReader(io.StringIO(programme_answers_csv(programme=world.programme, language="en")[1:])))
    assert {r["stakeholder"] for r in rows} == {"University of Baghdad", "Erbil Polytechnic", "Vilnius Tech Hub"}
    assert {(r["stakeholder"], r["answer"]) for r in rows if r["question"] == "delivery"} == {
        ("University of Baghdad", "onsite"),
        ("Erbil Polytechnic", "onsite"),
        ("Vilnius Tech Hub", "online"),
    }
    assert all(r["title"] == "ICT curriculum review" for r in rows)
