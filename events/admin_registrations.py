"""The organisers' admin for registrations: the list, a registration's page, cancelling, CSV import and
export, and sending a person their link again.

Imported from events/admin.py, since Django autodiscovers only admin.py. Every change goes through
events.services (a cancelled registration moves the waitlist up), as from the API.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events import lost_links, services
from events.admin_forms import RegistrationAdminForm
from events.admin_pages import csv_response, import_page
from events.exceptions import EventsError
from events.models import Registration


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    form = RegistrationAdminForm
    list_display = (
        "person",
        "email",
        "event",
        "role",
        "status",
        "organisation_shown",
        "delegation",
        "language",
        "created_at",
    )
    list_filter = ("event", "role", "status", "language", "delegation")
    search_fields = ("user__full_name", "user__email", "organisation__name", "organisation_name")
    list_select_related = ("user", "event", "organisation")
    readonly_fields = (
        "event",
        "user",
        "consent_share_profile",
        "consent_attendee_list",
        "organisation_name",
        "waitlisted_at",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "event",
                    "user",
                    "role",
                    "status",
                    "organisation",
                    "organisation_name",
                    "delegation",
                    "language",
                )
            },
        ),
        # Consent belongs to the person: organisers can see it but not give it for them.
        (_("Consent"), {"fields": ("consent_share_profile", "consent_attendee_list")}),
        (_("History"), {"fields": ("waitlisted_at", "created_at", "updated_at")}),
    )
    actions = ["cancel_registrations", "send_link_again", "export_csv"]

    @admin.display(description=_("person"), ordering="user__full_name")
    def person(self, obj: Registration) -> str:
        return obj.user.full_name

    @admin.display(description=_("organisation"), ordering="organisation__name")
    def organisation_shown(self, obj: Registration) -> str:
        # What the person typed stays visible when no organisation is attached (refused, removed).
        if obj.organisation_id:
            return str(obj.organisation)
        return obj.organisation_name or "-"

    @admin.display(description=_("email"), ordering="user__email")
    def email(self, obj: Registration) -> str:
        return obj.user.email

    def has_add_permission(self, request: HttpRequest) -> bool:
        # People are added by inviting them, importing a CSV, or by registering themselves.
        return False

    def get_urls(self) -> list:
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="events_registration_import"),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("events.add_registration"):
            self.message_user(request, _("You may not import registrations."), messages.WARNING)
            return HttpResponseRedirect(reverse("admin:events_registration_changelist"))
        return import_page(self, request, None)

    def save_model(self, request: HttpRequest, obj: Registration, form: Any, change: bool) -> None:
        fields = {name: getattr(obj, name) for name in form.changed_data}
        try:
            services.registration_update(registration=Registration.objects.get(pk=obj.pk), **fields)
        except EventsError as exc:
            request._registration_error = exc.message  # type: ignore[attr-defined]

    def response_change(self, request: HttpRequest, obj: Registration) -> HttpResponse:
        error = getattr(request, "_registration_error", None)
        if error:
            self.message_user(request, error, messages.ERROR)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    @admin.action(description=_("Cancel the selected registrations (the waitlist moves up)"))
    def cancel_registrations(self, request: HttpRequest, queryset: QuerySet[Registration]) -> None:
        active = queryset.exclude(status__in=[Registration.Status.CANCELLED, Registration.Status.DECLINED])
        count = 0
        for registration in active:
            services.registration_cancel(registration=registration)
            count += 1
        self.message_user(request, ngettext("%d registration cancelled.", "%d registrations cancelled.", count) % count)

    @admin.action(description=_("Send the selected people their link again"), permissions=["change"])
    def send_link_again(self, request: HttpRequest, queryset: QuerySet[Registration]) -> None:
        # Staff sign in with their password: an emailed link never signs them in, so none is sent
        # (events.tasks.send_my_link refuses them too); nor to erased or deactivated accounts.
        may_receive = queryset.filter(
            user__is_staff=False, user__is_superuser=False, user__is_active=True, user__erased_at__isnull=True
        )
        sent = 0
        for registration in may_receive.select_related("user"):
            lost_links.send_link_again(registration)
            sent += 1
        skipped = queryset.count() - sent
        message = ngettext("%d link is on its way.", "%d links are on their way.", sent) % sent
        if skipped:
            message += (
                " "
                + ngettext(
                    "%d person was skipped: staff sign in with their password, and erased or deactivated "
                    "accounts get no link.",
                    "%d people were skipped: staff sign in with their password, and erased or deactivated "
                    "accounts get no link.",
                    skipped,
                )
                % skipped
            )
        self.message_user(request, message, messages.WARNING if skipped else messages.SUCCESS)

    @admin.action(description=_("Export the selected registrations as CSV"))
    def export_csv(self, request: HttpRequest, queryset: QuerySet[Registration]) -> HttpResponse:
        registrations = queryset.select_related("user", "organisation", "event").order_by("event", "created_at", "id")
        return csv_response(registrations, "registrations")
