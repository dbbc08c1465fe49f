"""Skill names in the reader's language: Arabic, Lithuanian and Kurdish, English where none is shipped."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from matching.forms import ProfileForm
from matching.models import Skill
from matching.skill_names import forget
from matching.taxonomy import DATA_FILE, NAMES_FILE, load_skills, read_taxonomy
from matching.templatetags.skill_labels import skill_label
from tests.conftest import make_token
from tests.factories import UserFactory

# Product names: the same word in every language.
PRODUCTS = ("python", "javascript", "django", "postgresql", "kubernetes", "figma")


@pytest.fixture(autouse=True)
def _english_afterwards():
    # A request activates its language in the test's thread and leaves it there; the next test starts in English.
    yield
    translation.deactivate()


def test_every_descriptive_skill_has_all_three_names_and_products_keep_their_latin_name():
    names = json.loads((DATA_FILE.parent / NAMES_FILE).read_text(encoding="utf-8"))["names"]
    rows = {row["slug"]: row for row in read_taxonomy()}
    assert set(names) <= set(rows)
    for slug in PRODUCTS:
        assert slug not in names
    for slug in ("data-analysis", "machine-learning", "cybersecurity", "software-testing", "project-management"):
        assert set(names[slug]) == {"ar", "lt", "ckb"}, slug
    # A product inside a descriptive name stays in Latin script in every language.
    for lang in ("ar", "lt", "ckb"):
        assert "Docker" in names["docker"][lang] and "Power BI" in names["data-visualisation"][lang]


def test_labels_follow_the_active_language_and_fall_back_to_english(db):
    analysis, python = Skill.objects.get(slug="data-analysis"), Skill.objects.get(slug="python")
    expected = {"ar": "تحليل البيانات", "lt": "Duomenų analizė", "ckb": "شیکاریی داتا", "en": "Data analysis"}
    for language, name in expected.items():
        with translation.override(language):
            assert (analysis.label, str(analysis), python.label) == (name, name, "Python")
    with translation.override("fr"):  # a language nobody ships
        assert analysis.label == "Data analysis"


def test_the_profile_form_labels_skills_in_the_readers_language(db):
    skills = list(Skill.objects.filter(slug__in=["data-analysis", "python", "ux-design"]))
    with translation.override("ckb"):
        labels = {f.label for f in ProfileForm(skills=skills).fields.values()}
    assert {"شیکاریی داتا", "Python", "دیزاینی ئەزموونی بەکارهێنەر (UX)"} <= labels


def test_the_board_puts_explanations_english_names_into_the_page_language(db):
    forget()
    with translation.override("ar"):
        assert skill_label("Machine learning") == "تعلّم الآلة"
        assert skill_label("Python") == "Python"
        assert skill_label("Something an organiser typed") == "Something an organiser typed"


def test_loading_the_taxonomy_gives_an_old_database_its_names_and_keeps_admin_ones(db):
    # A database from before the names (as `make run` finds an old one): the loader fills them in.
    Skill.objects.update(names={})
    Skill.objects.filter(slug="statistics").update(names={"tr": "İstatistik", "ar": "old"})
    result = load_skills(Skill)
    assert result.updated >= 60
    stats = Skill.objects.get(slug="statistics")
    assert stats.names == {"tr": "İstatistik", "ar": "الإحصاء", "lt": "Statistika", "ckb": "ئامار"}
    assert load_skills(Skill).updated == 0  # idempotent


@pytest.mark.parametrize(
    ("headers", "language", "expected"),
    [
        ({"Accept-Language": "ar"}, "en", "تحليل البيانات"),
        ({}, "ckb", "شیکاریی داتا"),  # no header: the token owner's language
        ({"Accept-Language": "en"}, "lt", "Data analysis"),  # the header wins
    ],
)
def test_the_api_gives_each_skill_a_label_in_the_callers_language(db, client, headers, language, expected):
    token = make_token(UserFactory(language=language))
    response = client.get(
        "/api/v1/matching/skills",
        {"limit": 500},
        headers={"Authorization": f"Bearer {token}", **headers},
    )
    skill = next(s for s in response.json()["items"] if s["slug"] == "data-analysis")
    assert (skill["name"], skill["label"]) == ("Data analysis", expected)
