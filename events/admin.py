"""The organisers' admin. Django autodiscovers only this module, so it imports the others:

- here: organisations and memberships;
- events/admin_events.py: events with their rooms and agenda inline, sessions, invitations;
- events/admin_registrations.py: registrations (cancel, import, export, send the link again);
- events/admin_accounts.py: people, consents, API tokens, the email ledger;
- events/admin_calendar.py: the calendar's admin.

Changes that other parts of the platform must hear about (a session's time for calendars, a cancelled
registration for the waitlist, a larger capacity for waiting people, a membership decided) go through
the services (events.services, events.sessions, events.memberships), as from the API, instead of the
admin saving rows directly.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from events import memberships
from events.exceptions import EventsError
from events.models import Membership, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "country", "city", "status", "email_domain", "people_count")
    list_filter = ("status", "kind", "country")
    search_fields = ("name", "city", "email_domain")
    # Organisers paste bare domains; https is the sensible guess (and Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["verify"]

    @admin.action(description=_("Verify the selected organisations"))
    def verify(self, request: HttpRequest, queryset: QuerySet[Organisation]) -> None:
        for organisation in queryset:
            memberships.organisation_verify(organisation=organisation, by=request.user)
        self.message_user(request, _("Verified."), messages.SUCCESS)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organisation]:
        return super().get_queryset(request).annotate(people_count=Count("people"))

    @admin.display(description=_("people"), ordering="people_count")
    def people_count(self, obj: Organisation) -> int:
        return obj.people_count


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Every change of status goes through events.memberships (one table of transitions, the email)."""

    list_display = ("user", "organisation", "status", "via", "is_admin", "requested_at", "decided_at", "decided_by")
    list_filter = ("status", "via", "is_admin")
    search_fields = ("user__email", "user__full_name", "organisation__name")
    list_select_related = ("user", "organisation", "decided_by")
    autocomplete_fields = ("organisation",)
    raw_id_fields = ("user",)
    readonly_fields = ("status", "via", "requested_at", "decided_at", "decided_by")
    actions = ["approve", "refuse", "remove"]

    def get_readonly_fields(self, request: HttpRequest, obj: Membership | None = None) -> tuple[str, ...]:
        # Who and which organisation are fixed once asked; the status moves only through the actions.
        return self.readonly_fields + (("user", "organisation") if obj is not None else ())

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        if change:
            if "is_admin" in form.changed_data:
                memberships.membership_decide(membership=obj, status=obj.status, by=request.user, is_admin=obj.is_admin)
            return
        # An organiser adding somebody grants them at once (the admin then logs and shows that row).
        granted = memberships.membership_grant(
            user=obj.user, organisation=obj.organisation, by=request.user, is_admin=obj.is_admin
        )
        obj.pk = granted.pk
        obj.refresh_from_db()

    def _decide(self, request: HttpRequest, queryset: QuerySet[Membership], status: str) -> None:
        done = failed = 0
        for membership in queryset:
            try:
                memberships.membership_decide(membership=membership, status=status, by=request.user)
            except EventsError:
                failed += 1
            else:
                done += 1
        self.message_user(
            request, _("%(done)s changed, %(failed)s could not change.") % {"done": done, "failed": failed}
        )

    @admin.action(description=_("Approve the selected requests (emails each person)"))
    def approve(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        self._decide(request, queryset, Membership.Status.GRANTED)

    @admin.action(description=_("Refuse the selected requests (emails each person)"))
    def refuse(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        self._decide(request, queryset, Membership.Status.REFUSED)

    @admin.action(description=_("Remove the selected members (emails each person)"))
    def remove(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        self._decide(request, queryset, Membership.Status.REMOVED)


# Django discovers only admin.py; the other admins live beside it.
from events import (  # noqa: E402, F401
    admin_accounts,
    admin_calendar,
    admin_events,
    admin_programmes,
    admin_registrations,
)
