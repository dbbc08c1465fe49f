"""The skill picker's taxonomy reaches events through the "skill_taxonomy" figure that matching provides."""

from __future__ import annotations

import pytest

from events import hooks

pytestmark = pytest.mark.django_db


def test_skill_taxonomy_lists_every_skill_with_its_name_in_the_language():
    taxonomy = hooks.figure("skill_taxonomy")
    assert taxonomy is not None
    english = {row["slug"]: row for row in taxonomy(language="en")}
    arabic = {row["slug"]: row for row in taxonomy(language="ar")}
    assert len(english) > 50
    assert set(english) == set(arabic)
    assert english["python"]["group"] == "programming"
    # A skill with an Arabic name reads it in Arabic and in English otherwise.
    translated = [slug for slug in english if english[slug]["name"] != arabic[slug]["name"]]
    assert translated
    assert all(any("\u0600" <= ch <= "\u06ff" for ch in arabic[slug]["name"]) for slug in translated)
