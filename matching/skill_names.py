"""Skill names in the reader's language.

A skill's `name` is English and stays the key the engine, the aliases and the API's `name` field
use; `Skill.names` holds the other languages ({"ar": …, "lt": …, "ckb": …}, from
matching/data/skill_names.json). Pages and the API's `label` show `skill_label(...)`: the active
language's name, else English. Product names (Python, Docker, AWS…) have no entry and read the same
in every language.
"""

from __future__ import annotations

import time
from typing import Any

from django.utils.translation import get_language

# Board explanations carry English names (the scoring index is shared by every viewer); they are
# put into the viewer's language when drawn, from this per-process copy of the names.
_CACHE_SECONDS = 60.0
_by_name: dict[str, dict[str, str]] = {}
_loaded_at = -_CACHE_SECONDS


def skill_label(name: str, names: dict[str, str] | None, language: str | None = None) -> str:
    """`names` in `language` (default: the active one; `ar-iq` reads `ar`), else the English `name`."""
    language = (language or get_language() or "en").lower()
    names = names or {}
    return names.get(language) or names.get(language.split("-")[0]) or name


def label_for_name(name: str, language: str | None = None) -> str:
    """The label of the skill whose English name is `name` (as in a board's explanation); unknown names as they are."""
    global _by_name, _loaded_at
    now = time.monotonic()
    if now - _loaded_at > _CACHE_SECONDS:
        from matching.models import Skill

        _by_name = dict(Skill.objects.exclude(names={}).values_list("name", "names"))
        _loaded_at = now
    return skill_label(name, _by_name.get(name), language)


def forget() -> None:
    """Drop the per-process copy (after loading the taxonomy, and in tests)."""
    global _loaded_at
    _loaded_at = -_CACHE_SECONDS


def merged_names(current: dict[str, Any], shipped: dict[str, str]) -> dict[str, str]:
    """The file's names win for the languages it has; names added in the admin for others stay."""
    return {**(current or {}), **shipped}


def skill_taxonomy(*, language: str) -> list[dict[str, str]]:
    """Every skill as {"slug", "name", "group"}, the name in `language` (else English), by group then name.

    Provided to events as the "skill_taxonomy" figure: the questionnaires' skill picker lists these
    and validates the slugs answers carry (events may not import matching).
    """
    from matching.models import Skill

    rows = Skill.objects.order_by("group", "name").values_list("slug", "name", "names", "group")
    return [
        {"slug": slug, "name": skill_label(name, names, language), "group": group} for slug, name, names, group in rows
    ]
