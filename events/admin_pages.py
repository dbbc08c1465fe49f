"""Pieces of the admin's own pages: the CSV import page, CSV downloads, and event-time-zone forms."""

from __future__ import annotations

import io
import zoneinfo
from typing import Any

from django.contrib import admin
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


def import_page(model_admin: admin.ModelAdmin, request: HttpRequest, fixed_event: Event | None) -> HttpResponse:
    """The upload form and, after a submit, what the import did or why it did nothing.

    `fixed_event` is the event whose page the organiser came from; from the registrations list they pick one.
    """
    report = target = None
    form = ImportForm(request.POST or None, request.FILES or None, event=fixed_event)
    if request.method == "POST" and form.is_valid():
        target = fixed_event or form.cleaned_data["event"]
        report = registrations_import(
            event=target, data=form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"]
        )
        if report.ok and not report.dry_run:
            model_admin.message_user(
                request,
                _("Imported %(count)s registration(s) into %(event)s.") % {"count": report.imported, "event": target},
            )
        # After a clean dry run the next upload imports for real; otherwise it stays a dry run.
        initial: dict[str, Any] = {"dry_run": not (report.ok and report.dry_run)}
        if fixed_event is None:
            initial["event"] = target.pk
        form = ImportForm(event=fixed_event, initial=initial)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "event": fixed_event or target,
        "form": form,
        "report": report,
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
