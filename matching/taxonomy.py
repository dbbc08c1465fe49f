"""The ICT skills taxonomy shipped in matching/data/skills.json, and matching free text to it.

The file is the source (with skill_names.json beside it: the names in Arabic, Lithuanian and
Kurdish); loading it is idempotent (a skill is found by slug and updated) and never
deletes: skills organisers added in the admin stay. Aliases carry common Arabic and Lithuanian
spellings so a candidate typing "بايثون" or "duomenų analizė" lands on the same skill.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matching.skill_names import merged_names

DATA_FILE = Path(__file__).resolve().parent / "data" / "skills.json"
# The names in Arabic, Lithuanian and Kurdish (Sorani), by slug; beside DATA_FILE, read with it.
NAMES_FILE = "skill_names.json"


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int


def read_taxonomy(path: Path = DATA_FILE) -> list[dict[str, Any]]:
    """The skills of the file, each with its `names` in other languages (from skill_names.json beside it)."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    names_path = path.parent / NAMES_FILE
    names: dict[str, dict[str, str]] = {}
    if names_path.exists():
        with open(names_path, encoding="utf-8") as f:
            names = json.load(f)["names"]
    return [{**row, "names": {**names.get(row["slug"], {}), **row.get("names", {})}} for row in data["skills"]]


def normalise(text: str) -> str:
    """Lower case, NFKC, Arabic letter variants folded, spaces collapsed: the form aliases are compared in."""
    text = unicodedata.normalize("NFKC", text).strip().lower()
    # Arabic spellings vary in hamza and final letters; fold them so either spelling matches.
    text = text.translate(str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه", "ـ": None}))
    text = re.sub(r"[\u064B-\u0652]", "", text)  # harakat
    return re.sub(r"\s+", " ", text)


def load_skills(skill_model: Any, path: Path = DATA_FILE) -> LoadResult:
    """Create or update every skill in the file, then set related skills. `skill_model` may be a migration's."""
    rows = read_taxonomy(path)
    # Migration 0002's historical Skill predates `names` (0008 adds it and loads them).
    has_names = any(f.name == "names" for f in skill_model._meta.get_fields())
    created = updated = unchanged = 0
    by_slug: dict[str, Any] = {}
    for row in rows:
        fields = {
            "name": row["name"],
            "group": row["group"],
            "aliases": list(row.get("aliases", [])),
            "esco_uri": row.get("esco_uri", ""),
        }
        if has_names:
            fields["names"] = dict(row.get("names", {}))
        skill = skill_model.objects.filter(slug=row["slug"]).first()
        if skill is None:
            skill = skill_model.objects.create(slug=row["slug"], **fields)
            created += 1
        else:
            # Aliases added in the admin are kept; the file's are merged in.
            merged = list(dict.fromkeys([*skill.aliases, *fields["aliases"]]))
            fields["aliases"] = merged
            if has_names:
                fields["names"] = merged_names(skill.names, fields["names"])
            if any(getattr(skill, k) != v for k, v in fields.items()):
                for k, v in fields.items():
                    setattr(skill, k, v)
                skill.save()
                updated += 1
            else:
                unchanged += 1
        by_slug[row["slug"]] = skill
    for row in rows:
        related = [by_slug[s] for s in row.get("related", []) if s in by_slug]
        if related:
            by_slug[row["slug"]].related.add(*related)
    return LoadResult(created, updated, unchanged)


def build_lookup(skills: list[tuple[int, str, str, list[str]]]) -> dict[str, int]:
    """From (id, slug, name, aliases) rows: every normalised spelling -> skill id."""
    lookup: dict[str, int] = {}
    for skill_id, slug, name, aliases in skills:
        for spelling in (slug, name, *aliases):
            lookup.setdefault(normalise(spelling), skill_id)
    return lookup


def match_terms(text: str, lookup: dict[str, int]) -> list[int]:
    """Skill ids named in comma-, semicolon- or newline-separated free text, in order, without repeats."""
    found: list[int] = []
    for part in re.split(r"[,;،\n]+", text or ""):
        key = normalise(part)
        if key and key in lookup and lookup[key] not in found:
            found.append(lookup[key])
    return found
