"""The organisers' admin for events: an event with its rooms and agenda inline, sessions, invitations,
and the event's import and export pages.

Imported from events/admin.py, since Django autodiscovers only admin.py. Changes other parts of the
platform must hear about (a session's time for calendars, a larger capacity for waiting people, a
room's new name) go through events.services and events.sessions, as from the API.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events import services, sessions
from events.admin_forms import InviteForm, SessionAdminForm
from events.admin_pages import EventZoneMixin, csv_response, import_page
from events.exceptions import EventsError
from events.exports import registrations_for_export
from events.invitations import invitation_create_many
from events.models import Event, Registration, Room, Session

SESSION_INLINE_FIELDS = ("title", "kind", "starts_at", "ends_at", "room", "track", "audience", "status", "capacity")


def _local(moment: Any, event: Event) -> str:
    return timezone.localtime(moment, event.tzinfo).strftime("%Y-%m-%d %H:%M") if moment else ""


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0
    fields = ("name", "capacity")


class SessionInline(admin.TabularInline):
    model = Session
    form = SessionAdminForm
    extra = 0
    fields = SESSION_INLINE_FIELDS
    show_change_link = True
    # A session is cancelled, not deleted: calendars that hold it must be told it is off.
    can_delete = False

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "room":
            kwargs["queryset"] = Room.objects.filter(event_id=_object_id(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _pk(raw: object) -> int | None:
    """An id typed into a URL or form, or None. ("²".isdigit() is true, so ASCII digits are checked.)"""
    text = str(raw or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def _object_id(request: HttpRequest) -> int | None:
    match = request.resolver_match
    return _pk(match.kwargs.get("object_id") if match else None)


@admin.register(Event)
class EventAdmin(EventZoneMixin, admin.ModelAdmin):
    list_display = ("title", "kind", "status", "starts_local", "timezone", "capacity", "registered", "waitlisted")
    list_filter = ("kind", "status", "registration_open")
    search_fields = ("title", "slug", "venue", "address")
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ("title",)}
    inlines = [RoomInline, SessionInline]
    actions = ["invite_people"]
    fieldsets = (
        (None, {"fields": ("title", "slug", "kind", "status", "description")}),
        (
            _("When and where"),
            {
                "fields": ("timezone", "starts_at", "ends_at", "venue", "address"),
                "description": _("Dates and times here and in the agenda below are in the event's time zone."),
            },
        ),
        (_("Registration"), {"fields": ("capacity", "registration_open")}),
        (_("Personal data"), {"fields": ("personal_data_kept_until",)}),
    )

    def event_zone(self, request: HttpRequest, object_id: str | None) -> str | None:
        # On submit, the zone in the form: the times typed beside it are meant in that zone.
        if request.method == "POST" and request.POST.get("timezone"):
            return request.POST["timezone"]
        if (pk := _pk(object_id)) is not None:
            return Event.objects.filter(pk=pk).values_list("timezone", flat=True).first()
        return Event._meta.get_field("timezone").default

    def get_queryset(self, request: HttpRequest) -> QuerySet[Event]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                registered_count=Count("registrations", filter=Q(registrations__status=Registration.Status.REGISTERED)),
                waitlisted_count=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)),
            )
        )

    @admin.display(description=_("starts (local time)"), ordering="starts_at")
    def starts_local(self, obj: Event) -> str:
        return _local(obj.starts_at, obj)

    @admin.display(description=_("registered"), ordering="registered_count")
    def registered(self, obj: Event) -> int:
        return obj.registered_count

    @admin.display(description=_("waitlisted"), ordering="waitlisted_count")
    def waitlisted(self, obj: Event) -> int:
        return obj.waitlisted_count

    def save_model(self, request: HttpRequest, obj: Event, form: Any, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        # Through the service: a larger capacity seats the waitlist, and public pages hear of it.
        fields = {name: getattr(obj, name) for name in form.changed_data}
        services.event_update(event=Event.objects.get(pk=obj.pk), **fields)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is Room:
            formset.save(commit=False)
            for room, changed in formset.changed_objects:
                if "name" in changed:
                    # Through the service: calendars showing a session in this room hear the new name.
                    sessions.room_rename(room=Room.objects.get(pk=room.pk), name=room.name)
                    changed = [name for name in changed if name != "name"]
                if changed:
                    room.save(update_fields=changed)
            for room in formset.new_objects:
                room.event = form.instance
                room.save()
            for room in formset.deleted_objects:
                room.delete()
            return
        if formset.model is not Session:
            super().save_formset(request, form, formset, change)
            return
        formset.save(commit=False)
        for session, changed in formset.changed_objects:
            # session_update bumps the revision calendars use when the time, room or status changes.
            sessions.session_update(session=session, **{name: getattr(session, name) for name in changed})
        for session in formset.new_objects:
            sessions.session_create(
                event=form.instance, **{name: getattr(session, name) for name in SESSION_INLINE_FIELDS}
            )

    def get_urls(self) -> list:
        view = self.admin_site.admin_view
        return [
            path("<int:event_id>/invite/", view(self.invite_view), name="events_event_invite"),
            path("<int:event_id>/import/", view(self.import_view), name="events_event_import"),
            path("<int:event_id>/export/", view(self.export_view), name="events_event_export"),
            *super().get_urls(),
        ]

    @admin.action(description=_("Invite people to the selected event"))
    def invite_people(self, request: HttpRequest, queryset: QuerySet[Event]) -> HttpResponse | None:
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one event to invite people to."), messages.WARNING)
            return None
        return HttpResponseRedirect(reverse("admin:events_event_invite", args=[queryset.get().pk]))

    def _event_or_none(self, request: HttpRequest, event_id: int) -> Event | None:
        event = Event.objects.filter(pk=event_id).first()
        if event is None or not self.has_change_permission(request, event):
            return None
        return event

    def invite_view(self, request: HttpRequest, event_id: int) -> HttpResponse:
        event = self._event_or_none(request, event_id)
        if event is None:
            return self._no_event(request)
        report = None
        form = InviteForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            report = invitation_create_many(
                event=event,
                invitees=data["people"],
                role=data["role"],
                delegation=data["delegation"],
                organisation=data["organisation"],
                language=data["language"],
            )
            if report.invited:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d invitation is on its way.",
                        "%(count)d invitations are on their way.",
                        len(report.invited),
                    )
                    % {"count": len(report.invited)},
                )
            form = InviteForm(initial={k: v for k, v in request.POST.items() if k != "people"})
        return self._render(
            request, "admin/events/invite.html", event, {"form": form, "report": report}, _("Invite people")
        )

    def import_view(self, request: HttpRequest, event_id: int) -> HttpResponse:
        event = self._event_or_none(request, event_id)
        if event is None:
            return self._no_event(request)
        return import_page(self, request, event)

    def export_view(self, request: HttpRequest, event_id: int) -> HttpResponse:
        event = Event.objects.filter(pk=event_id).first()
        if event is None or not self.has_view_permission(request, event):
            return self._no_event(request)
        return csv_response(registrations_for_export(event=event), event.slug)

    def _no_event(self, request: HttpRequest) -> HttpResponse:
        self.message_user(request, _("That event does not exist, or you may not change it."), messages.WARNING)
        return HttpResponseRedirect(reverse("admin:events_event_changelist"))

    def _render(
        self, request: HttpRequest, template: str, event: Event | None, extra: dict, title: str
    ) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "event": event,
            "title": title,
            **extra,
        }
        return TemplateResponse(request, template, context)


@admin.register(Session)
class SessionAdmin(EventZoneMixin, admin.ModelAdmin):
    list_display = ("title", "event", "kind", "starts_local", "room", "audience", "status", "revision")
    list_filter = ("event", "audience", "status", "kind")
    search_fields = ("title", "speakers", "track", "event__title")
    list_select_related = ("event", "room")
    date_hierarchy = "starts_at"
    readonly_fields = ("revision",)
    form = SessionAdminForm
    actions = ["cancel_sessions"]

    def event_zone(self, request: HttpRequest, object_id: str | None) -> str | None:
        if (pk := _pk(object_id)) is not None:
            return Session.objects.filter(pk=pk).values_list("event__timezone", flat=True).first()
        if (event_id := _pk(request.POST.get("event") or request.GET.get("event"))) is not None:
            return Event.objects.filter(pk=event_id).values_list("timezone", flat=True).first()
        return None

    @admin.display(description=_("starts (local time)"), ordering="starts_at")
    def starts_local(self, obj: Session) -> str:
        return _local(obj.starts_at, obj.event)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        session_id = _object_id(request)
        if db_field.name == "room" and session_id:
            kwargs["queryset"] = Room.objects.filter(event__sessions=session_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Session, form: Any, change: bool) -> None:
        if change:
            fields = {name: getattr(obj, name) for name in form.changed_data if name != "event"}
            sessions.session_update(session=obj, **fields)
        else:
            fields = {name: getattr(obj, name) for name in form.fields if name not in ("event", "revision")}
            created = sessions.session_create(event=obj.event, **fields)
            obj.pk = created.pk

    def has_delete_permission(self, request: HttpRequest, obj: Session | None = None) -> bool:
        # Sessions of a published event are cancelled instead, so calendars are told.
        if obj is not None and obj.event.status != Event.Status.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request: HttpRequest, obj: Session) -> None:
        # Through the service: whoever holds the session in a calendar gets a cancellation.
        sessions.session_delete(session=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Session]) -> None:
        for session in queryset:
            sessions.session_delete(session=session)

    @admin.action(description=_("Cancel the selected sessions"))
    def cancel_sessions(self, request: HttpRequest, queryset: QuerySet[Session]) -> None:
        done = failed = 0
        for session in queryset.exclude(status=Session.Status.CANCELLED):
            try:
                sessions.session_cancel(session=session)
            except EventsError:
                failed += 1  # an ended session stays ended, as in the control room and the API
            else:
                done += 1
        if failed:
            self.message_user(
                request,
                _("%(done)s changed, %(failed)s could not change.") % {"done": done, "failed": failed},
                messages.WARNING,
            )
        else:
            self.message_user(request, ngettext("%d session cancelled.", "%d sessions cancelled.", done) % done)
