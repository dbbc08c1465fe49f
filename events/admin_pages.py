"""Pieces of the admin's own pages: the CSV import page, CSV downloads, and event-time-zone forms."""

from __future__ import annotations

import base64
import io
import zoneinfo
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from events.admin_forms import ImportForm
from events.exports import write_registrations_csv
from events.imports import registrations_import
from events.models import Event, Registration


class EventZoneMixin:
    """Show and read an event's dates and times in the event's own time zone, not the server's UTC.

    An organiser who types 09:00 for a Baghdad job fair means 09:00 in Baghdad.
    """

    def event_zone(self, request: HttpRequest, object_id: str | None) -> str | None:
        raise NotImplementedError

    def changeform_view(
        self, request: HttpRequest, object_id: str | None = None, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        zone = self.event_zone(request, object_id)
        if zone not in zoneinfo.available_timezones():
            return super().changeform_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        extra_context = {**(extra_context or {}), "event_zone": zone}
        with timezone.override(zoneinfo.ZoneInfo(zone)):
            response = super().changeform_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
            # Render while the zone is active; a TemplateResponse would otherwise render after we leave.
            if hasattr(response, "render"):
                response.render()
        return response


# After a clean dry run the checked file waits in the session, so "Import now" needs no second upload.
_STASH = "events.admin.checked_import"
MAX_STASH_BYTES = 2 * 1024 * 1024


def import_page(model_admin: admin.ModelAdmin, request: HttpRequest, fixed_event: Event | None) -> HttpResponse:
    """The upload form and, after a submit, what the import did or why it did nothing.

    `fixed_event` is the event whose page the organiser came from; from the registrations list they pick one.
    """
    report = target = None
    can_confirm = False
    form = ImportForm(event=fixed_event)
    if request.method == "POST" and "import_checked" in request.POST:
        stash = request.session.pop(_STASH, None) or {}
        target = Event.objects.filter(pk=stash.get("event")).first()
        if target is None or (fixed_event is not None and target != fixed_event):
            model_admin.message_user(request, _("Upload the file again, please."), messages.WARNING)
            target = None
        else:
            # Checked again inside the import: someone may have registered since the dry run.
            report = registrations_import(event=target, data=base64.b64decode(stash["data"]))
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES, event=fixed_event)
        if form.is_valid():
            target = fixed_event or form.cleaned_data["event"]
            data = form.cleaned_data["file"]
            report = registrations_import(event=target, data=data, dry_run=form.cleaned_data["dry_run"])
            if report.ok and report.dry_run and len(data) <= MAX_STASH_BYTES:
                request.session[_STASH] = {"event": target.pk, "data": base64.b64encode(data).decode()}
                can_confirm = True
            form = ImportForm(event=fixed_event, initial={"event": target.pk})
    if report is not None and report.ok and not report.dry_run:
        model_admin.message_user(
            request,
            _("Imported %(count)s registration(s) into %(event)s.") % {"count": report.imported, "event": target},
        )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "event": fixed_event or target,
        "form": form,
        "report": report,
        "can_confirm": can_confirm,
        "title": _("Import registrations"),
    }
    return TemplateResponse(request, "admin/events/import.html", context)


def csv_response(registrations: QuerySet[Registration], name: str) -> HttpResponse:
    buffer = io.StringIO()
    write_registrations_csv(buffer, registrations)
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    filename = f"{slugify(name) or 'registrations'}-{timezone.now():%Y%m%d-%H%M}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
