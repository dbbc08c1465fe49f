"""Tickets, door scans (the audit log), session attendance, scanner devices and badge jobs."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.tokens import HashedSecretMixin


class EventCheckinSettings(models.Model):
    """Check-in rules of one event. An event without a row uses the field defaults."""

    event = models.OneToOneField("events.Event", on_delete=models.CASCADE, related_name="checkin_settings")
    opens_minutes_before = models.PositiveIntegerField(_("check-in opens (minutes before the start)"), default=120)
    closes_minutes_after = models.PositiveIntegerField(_("check-in closes (minutes after the end)"), default=60)
    completion_threshold = models.PositiveSmallIntegerField(
        _("completion threshold (%)"),
        default=80,
        validators=[MaxValueValidator(100)],
        help_text=_("Share of held sessions a participant must attend to qualify for a certificate."),
    )
    sessions_require_signup = models.BooleanField(
        _("sessions require sign-up"),
        default=False,
        help_text=_("Only people who signed up for a session may be checked in to it."),
    )
    final_assessment_required = models.BooleanField(
        _("final assessment required"),
        default=True,
        help_text=_("Trainings only: completing also needs the final assessment passed."),
    )

    class Meta:
        verbose_name = _("check-in settings")
        verbose_name_plural = _("check-in settings")

    def __str__(self) -> str:
        return str(self.event)


class Ticket(models.Model):
    """The admission of one registration. Its QR payload is derived from `code` and `version`.

    The row doubles as the door state (inside or not, first arrival), so a scan locks exactly one row.
    """

    registration = models.OneToOneField("events.Registration", on_delete=models.CASCADE, related_name="ticket")
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="tickets")
    # Random, not derived from any id: a ticket reveals nothing about how many others exist.
    code = models.CharField(max_length=16, unique=True)
    # Part of the signed payload: reissuing bumps it, so every older QR code stops working.
    version = models.PositiveIntegerField(default=1)
    issued_at = models.DateTimeField(default=timezone.now)
    inside = models.BooleanField(default=False)
    first_in_at = models.DateTimeField(null=True, blank=True)
    first_in_gate = models.CharField(max_length=40, blank=True)
    last_scan_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["event", "first_in_at"])]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class ScannerDevice(HashedSecretMixin, models.Model):
    """A phone an organiser paired with one event. Only the SHA-256 of its token is stored."""

    TOKEN_PREFIX = "eed_"

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="scanner_devices")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("scanner device")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class Scan(models.Model):
    """One attempt at a door or a session, successful or not, or an organiser's undo: the audit log.

    It is also the idempotency record: a retried `client_scan_id` gets the stored answer back.
    """

    class Action(models.TextChoices):
        SCAN = "scan", _("Scan")
        SELF = "self", _("Self check-in")
        UNDO = "undo", _("Undo")

    class Result(models.TextChoices):
        OK = "ok", _("Checked in")
        ALREADY = "already_checked_in", _("Already checked in")
        ERROR = "error", _("Refused")
        # An offline scan synced after a newer scan of the same ticket: kept in the log, not applied.
        SUPERSEDED = "superseded", _("Recorded, not applied (a newer scan exists)")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="scans")
    ticket = models.ForeignKey(Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="scans")
    session = models.ForeignKey(
        "events.Session", null=True, blank=True, on_delete=models.SET_NULL, related_name="scans"
    )
    action = models.CharField(max_length=8, choices=Action.choices, default=Action.SCAN)
    direction = models.CharField(max_length=3, default="in")
    gate = models.CharField(max_length=40, blank=True)
    result = models.CharField(max_length=20, choices=Result.choices)
    reason = models.CharField(max_length=40, blank=True)
    payload = models.CharField(max_length=120, blank=True, help_text=_("What was scanned, cut to 120 characters."))
    client_scan_id = models.CharField(max_length=64, blank=True)
    scanned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    device = models.ForeignKey(ScannerDevice, null=True, blank=True, on_delete=models.SET_NULL, related_name="scans")
    scanned_at = models.DateTimeField(help_text=_("When the scan happened (the phone's clock for offline scans)."))
    created_at = models.DateTimeField(default=timezone.now)
    response_status = models.PositiveSmallIntegerField(default=0)
    response = models.JSONField(default=dict, blank=True)
    # For an undo row: the scan it reverted. For a scan row: set once someone undid it.
    undoes = models.OneToOneField("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="undone_by")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["event", "-created_at"]), models.Index(fields=["ticket", "result"])]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "client_scan_id"], condition=~Q(client_scan_id=""), name="scan_unique_client_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.result} {self.reason}".strip()


class SessionAttendance(models.Model):
    """A ticket's presence at one session (the training programme counts these)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="session_attendance")
    session = models.ForeignKey("events.Session", on_delete=models.CASCADE, related_name="attendance")
    inside = models.BooleanField(default=True)
    first_in_at = models.DateTimeField()
    first_in_gate = models.CharField(max_length=40, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ticket", "session"], name="attendance_one_per_session")]

    def __str__(self) -> str:
        return f"{self.ticket} @ {self.session_id}"


class AttendanceMark(models.Model):
    """A trainer's ruling on one trainee at one held session, which overrides what the door recorded.

    Rows are never changed: each correction is a new row (who, when, old, new, why), and the newest
    row of a trainee and session is the cell's value. Written only by checkin.training.attendance_mark.
    """

    class Value(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    registration = models.ForeignKey("events.Registration", on_delete=models.CASCADE, related_name="attendance_marks")
    session = models.ForeignKey("events.Session", on_delete=models.CASCADE, related_name="attendance_marks")
    old = models.CharField(_("before"), max_length=8, choices=Value.choices)
    new = models.CharField(_("after"), max_length=8, choices=Value.choices)
    reason = models.CharField(_("reason"), max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["session", "registration", "at"])]

    def __str__(self) -> str:
        return f"{self.registration_id} @ {self.session_id}: {self.old} → {self.new}"


class FinalAssessment(models.Model):
    """A trainer's record of one trainee's final assessment: passed or not, an optional score, when, by whom.

    Rows are never changed: a reassessment is a new row, and the newest row of a trainee is their
    result. Written only by checkin.final_assessment.final_assessment_record.
    """

    registration = models.ForeignKey("events.Registration", on_delete=models.CASCADE, related_name="final_assessments")
    passed = models.BooleanField(_("passed"))
    score = models.PositiveSmallIntegerField(_("score (%)"), null=True, blank=True, validators=[MaxValueValidator(100)])
    held_on = models.DateField(_("date of the assessment"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["registration", "at"])]

    def __str__(self) -> str:
        return f"{self.registration_id}: {'passed' if self.passed else 'not passed'} on {self.held_on}"


class BadgeJob(models.Model):
    """Rendering every badge of an event as one PDF, in the background, with progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="badge_jobs")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="badges/", blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"badges {self.event_id} {self.status}"

    @property
    def progress(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0
