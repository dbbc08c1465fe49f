"""Background jobs (django-q2). Each takes primary keys and is safe to run twice."""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_q.tasks import async_task

from checkin.badges import Badge, render_badges
from checkin.models import BadgeJob

logger = logging.getLogger(__name__)


def enqueue_badges(job_id: int) -> None:
    async_task("checkin.tasks.build_event_badges", job_id)


def badge_for(registration) -> Badge:
    from checkin.selectors import ticket_payload
    from events.memberships import membership_granted

    org = registration.organisation or registration.user.organisation
    # A badge names the organisation only for its granted members: typing a name at registration must
    # not print a credential. badge_registrations reads it with the rows; a single badge asks here.
    granted = getattr(registration, "organisation_granted", None)
    if org is not None and granted is None:
        granted = membership_granted(user=registration.user, organisation=org)
    if not granted:
        org = None
    return Badge(
        name=registration.user.get_full_name(),
        organisation=org.name if org else "",
        role=registration.role,
        role_label=str(registration.get_role_display()),
        event_title=registration.event.title,
        payload=ticket_payload(registration.ticket),
    )


def build_event_badges(job_id: int) -> bool:
    """Render every registered person's badge of the job's event into one PDF, reporting progress."""
    from checkin.reports import badge_registrations
    from checkin.services import tickets_issue_for_event

    with transaction.atomic():
        job = BadgeJob.objects.select_for_update().select_related("event").filter(pk=job_id).first()
        if job is None or job.status == BadgeJob.Status.DONE:
            return False
        registrations = badge_registrations(event=job.event)
        job.status = BadgeJob.Status.RUNNING
        job.total = registrations.count()
        job.done = 0
        job.save(update_fields=["status", "total", "done"])
    tickets_issue_for_event(event=job.event)

    def progress(done: int, total: int) -> None:
        BadgeJob.objects.filter(pk=job_id).update(done=done)

    try:
        pdf = render_badges(
            (badge_for(r) for r in badge_registrations(event=job.event)), total=job.total, progress=progress
        )
    except Exception as exc:
        logger.exception("checkin: badge job %s failed", job_id)
        BadgeJob.objects.filter(pk=job_id).update(status=BadgeJob.Status.FAILED, error=str(exc)[:300])
        return False
    job.refresh_from_db()
    job.file.save(f"badges-{job.event.slug}-{job.pk}.pdf", ContentFile(pdf), save=False)
    job.status = BadgeJob.Status.DONE
    job.done = job.total
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "status", "done", "finished_at"])
    return True
