"""`manage.py load_skills [path]`: create or update the skills taxonomy from JSON. Safe to run again."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from matching.models import Skill
from matching.taxonomy import DATA_FILE, load_skills


class Command(BaseCommand):
    help = "Load the ICT skills taxonomy (matching/data/skills.json by default). Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", default=str(DATA_FILE))

    def handle(self, *args: object, **options: object) -> None:
        path = Path(str(options["path"]))
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            result = load_skills(Skill, path)
        except (ValueError, KeyError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        self.stdout.write(f"skills: {result.created} created, {result.updated} updated, {result.unchanged} unchanged")
