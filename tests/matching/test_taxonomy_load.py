from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command

from matching.models import Skill
from matching.taxonomy import DATA_FILE, build_lookup, match_terms


def test_migration_ships_the_taxonomy_with_esco_uris(db):
    shipped = json.loads(DATA_FILE.read_text(encoding="utf-8"))["skills"]
    assert Skill.objects.count() == len(shipped) >= 100
    python = Skill.objects.get(slug="python")
    assert python.group == "programming"
    assert python.esco_uri == "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
    assert set(python.related.values_list("slug", flat=True)) >= {"django", "machine-learning"}
    groups = set(Skill.objects.values_list("group", flat=True))
    assert {"programming", "cloud", "data", "security", "infrastructure", "design", "testing", "management"} <= groups


def test_load_skills_twice_changes_nothing_and_keeps_admin_aliases(db):
    python = Skill.objects.get(slug="python")
    python.aliases = [*python.aliases, "piton"]
    python.save()
    out = StringIO()
    call_command("load_skills", stdout=out)
    assert "0 created" in out.getvalue()
    python.refresh_from_db()
    assert "piton" in python.aliases
    out = StringIO()
    call_command("load_skills", stdout=out)
    assert out.getvalue().strip().endswith(f"{Skill.objects.count()} unchanged")


def test_arabic_and_lithuanian_spellings_find_the_same_skill(db):
    lookup = build_lookup([(s.pk, s.slug, s.name, s.aliases) for s in Skill.objects.all()])
    found = match_terms("بايثون، duomenų analizė; الأمن السيبراني\nKubernetes, no-such-skill", lookup)
    slugs = [Skill.objects.get(pk=pk).slug for pk in found]
    assert slugs == ["python", "data-analysis", "cybersecurity", "kubernetes"]
    # Hamza and taa marbuta variants fold to one spelling.
    assert match_terms("امن المعلومات", lookup) == match_terms("أمن المعلومات", lookup) != []
