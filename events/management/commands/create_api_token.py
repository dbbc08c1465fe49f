"""`manage.py create_api_token EMAIL [--name NAME]`: a bearer token for the JSON API, printed once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from events import services
from events.models import ApiToken, User


class Command(BaseCommand):
    help = "Create a bearer token for the JSON API for the person with this email (or revoke or list tokens)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The email address the person logs in with.")
        parser.add_argument("--name", default="", help="What the token is for, e.g. 'CRM sync'.")
        parser.add_argument("--revoke", metavar="PREFIX", help="Revoke this person's tokens starting with PREFIX.")
        parser.add_argument(
            "--list", dest="list_tokens", action="store_true", help="List this person's tokens (prefixes only)."
        )

    def handle(self, *args: Any, email: str, name: str, revoke: str | None, list_tokens: bool, **options: Any) -> None:
        user = User.objects.filter(email__iexact=email.strip(), is_active=True).first() if email.strip() else None
        if user is None:
            raise CommandError(
                _("No active person with the email address %(email)r. Create them first (admin or createsuperuser).")
                % {"email": email}
            )
        if list_tokens:
            for token in ApiToken.objects.filter(user=user).order_by("created_at"):
                state = _("revoked") if token.revoked_at else _("active")
                self.stdout.write(f"{token.prefix}  {state:8}  {token.created_at:%Y-%m-%d}  {token.name}")
            return
        if revoke is not None:
            if len(revoke) < 4:
                raise CommandError(_("Give at least the first 4 characters of the token prefix."))
            count = services.api_token_revoke(user=user, prefix=revoke)
            self.stdout.write(_("Revoked %(count)d token(s).") % {"count": count})
            return
        if len(name) > 100:
            raise CommandError(_("The name may be at most 100 characters."))
        _token, raw = services.api_token_create(user=user, name=name)
        self.stdout.write(_("API token for %(email)s (shown once; store it now):") % {"email": user.email})
        self.stdout.write(raw)
        self.stdout.write(_("Use it as: Authorization: Bearer <token>"))
