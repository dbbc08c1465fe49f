"""Reads for organisers: the audit log, devices, session attendance, badge jobs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from checkin.models import BadgeJob, Scan, ScannerDevice, SessionAttendance
from checkin.selectors import checkin_settings_for
from events.models import Event, Registration, Session


def scans_for_event(*, event: Event, limit: int | None = None) -> QuerySet[Scan]:
    """The event's scans, newest first; the first `limit` of them when given."""
    qs = (
        Scan.objects.filter(event=event)
        .select_related("ticket__registration__user", "scanned_by", "device", "session")
        .order_by("-created_at", "-id")
    )
    return qs if limit is None else qs[:limit]


def held_condition(*, now: datetime) -> Q:
    """What makes a session held: started in the control room (live or ended), or its start has passed.

    A session started early counts at once, before its scheduled time; a cancelled one never counts.
    """
    return (Q(status__in=[Session.Status.LIVE, Session.Status.ENDED]) | Q(starts_at__lte=now)) & ~Q(
        status=Session.Status.CANCELLED
    )


def sessions_held(*, event: Event, now: datetime | None = None) -> QuerySet[Session]:
    """Sessions held so far (see `held_condition`): the denominator of attendance."""
    now = now or timezone.now()
    return event.sessions.filter(held_condition(now=now)).order_by("starts_at", "id")


def attendance_report(*, event: Event, now: datetime | None = None) -> dict[str, Any]:
    """Per participant: sessions attended of sessions held, and whether they reach the threshold."""
    held = list(sessions_held(event=event, now=now))
    held_ids = {s.pk for s in held}
    threshold = checkin_settings_for(event).completion_threshold
    attended: dict[int, set[int]] = {}
    for reg_id, session_id in SessionAttendance.objects.filter(
        ticket__event=event, session_id__in=held_ids
    ).values_list("ticket__registration_id", "session_id"):
        attended.setdefault(reg_id, set()).add(session_id)
    rows = []
    registrations = (
        Registration.objects.filter(event=event, status=Registration.Status.REGISTERED)
        .select_related("user", "organisation")
        .order_by("user__full_name", "id")
    )
    for reg in registrations:
        sessions = attended.get(reg.pk, set())
        share = round(100 * len(sessions) / len(held)) if held else 0
        rows.append(
            {
                "registration": reg,
                "name": reg.user.get_full_name(),
                "email": reg.user.email,
                "organisation": reg.organisation.name if reg.organisation_id else "",
                "role": reg.role,
                "attended": len(sessions),
                "held": len(held),
                "percent": share,
                "qualifies": bool(held) and len(sessions) * 100 >= threshold * len(held),
                "sessions": [s.pk in sessions for s in held],
            }
        )
    return {"sessions": held, "rows": rows, "threshold": threshold}


def scan_log(*, event: Event, limit: int = 200) -> list[dict[str, Any]]:
    return [scan_row(scan=scan, event=event) for scan in scans_for_event(event=event, limit=limit)]


def scan_row(*, scan: Scan, event: Event) -> dict[str, Any]:
    """One line of the audit log, times in the event's zone."""
    reg = scan.ticket.registration if scan.ticket_id else None
    return {
        "id": scan.pk,
        "action": scan.action,
        "result": scan.result,
        "reason": scan.reason,
        "direction": scan.direction,
        "gate": scan.gate,
        "session": scan.session_id,
        "attendee": reg.user.get_full_name() if reg else None,
        "registration": reg.pk if reg else None,
        "by": scan.scanned_by.email if scan.scanned_by_id else None,
        "device": scan.device.name if scan.device_id else None,
        "scanned_at": scan.scanned_at.astimezone(event.tzinfo).isoformat(),
        "recorded_at": scan.created_at.astimezone(event.tzinfo).isoformat(),
        "undoes": scan.undoes_id,
    }


def device_list(*, event: Event) -> list[dict[str, Any]]:
    return [
        {
            "id": d.pk,
            "name": d.name,
            "prefix": d.prefix,
            "created_at": d.created_at.isoformat(),
            "last_seen_at": d.last_seen_at.isoformat() if d.last_seen_at else None,
            "revoked_at": d.revoked_at.isoformat() if d.revoked_at else None,
        }
        for d in ScannerDevice.objects.filter(event=event).order_by("created_at", "id")
    ]


def attendance_json(*, event: Event) -> dict[str, Any]:
    report = attendance_report(event=event)
    return {
        "event": event.slug,
        "threshold": report["threshold"],
        "sessions": [{"id": s.pk, "title": s.title, "starts_at": s.starts_at.isoformat()} for s in report["sessions"]],
        "participants": [
            {k: v for k, v in row.items() if k != "registration"} | {"registration": row["registration"].pk}
            for row in report["rows"]
        ],
    }


def badge_job_json(job: BadgeJob) -> dict[str, Any]:
    return {
        "id": job.pk,
        "event": job.event.slug,
        "status": job.status,
        "progress": job.progress,
        "done": job.done,
        "total": job.total,
        "error": job.error,
        "download_url": reverse("checkin:badge_job_pdf", args=[job.pk]) if job.status == BadgeJob.Status.DONE else None,
    }


def badge_registrations(*, event: Event) -> QuerySet[Registration]:
    """Who gets a badge: everyone holding a seat, by name, and whether their organisation is granted."""
    from django.db.models.functions import Coalesce

    from events.memberships import granted_exists

    return (
        Registration.objects.filter(event=event, status=Registration.Status.REGISTERED)
        .select_related("user__organisation", "organisation", "event", "ticket")
        .annotate(acting_org_id=Coalesce("organisation_id", "user__organisation_id"))
        .annotate(organisation_granted=granted_exists(organisation="acting_org_id"))
        .order_by("user__full_name", "id")
    )
