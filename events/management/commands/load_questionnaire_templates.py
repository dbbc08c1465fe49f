"""`manage.py load_questionnaire_templates --programme SLUG --by EMAIL [--template KEY] [--again]`: draft
copies of the shipped questionnaire templates in a programme, as the builder's "create from template"
makes them (events/questionnaires.py), in the name of an organiser or programme staff member.

Idempotent: a template the programme already holds a copy of is skipped unless `--again`.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from events import questionnaires
from events.exceptions import EventsError
from events.models import Programme, User
from events.questionnaire_templates import TEMPLATES


class Command(BaseCommand):
    help = "Copy the shipped questionnaire templates into a programme as drafts (skips those it holds)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--programme", required=True, help="The programme's slug.")
        parser.add_argument("--by", required=True, help="Email of the organiser or programme staff member.")
        parser.add_argument("--template", choices=sorted(TEMPLATES), help="Only this template (default: both).")
        parser.add_argument("--again", action="store_true", help="Copy even a template the programme holds.")

    def handle(self, *args: Any, programme: str, by: str, template: str | None, again: bool, **options: Any) -> None:
        found = Programme.objects.filter(slug=programme).first()
        if found is None:
            raise CommandError(_("No programme with the slug %(slug)r.") % {"slug": programme})
        actor = User.objects.filter(email__iexact=by.strip(), is_active=True).first()
        if actor is None:
            raise CommandError(_("No active person with the email address %(email)r.") % {"email": by})
        for key in [template] if template else sorted(TEMPLATES):
            held = found.questionnaires.filter(template=key).first()
            if held is not None and not again:
                self.stdout.write(
                    _("%(key)s: the programme holds it already (questionnaire %(id)d); skipped.")
                    % {"key": key, "id": held.pk}
                )
                continue
            try:
                copy = questionnaires.questionnaire_create_from_template(programme=found, actor=actor, template=key)
            except EventsError as exc:
                raise CommandError(exc.message) from exc
            self.stdout.write(
                _("%(key)s: draft questionnaire %(id)d with %(n)d questions.")
                % {"key": key, "id": copy.pk, "n": copy.questions.count()}
            )
