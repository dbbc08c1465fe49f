"""People, organisations, events, their agenda and registrations."""

from __future__ import annotations

import secrets
import zoneinfo

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.tokens import HashedSecretMixin


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not an IANA time zone."), params={"value": value})


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who uses the platform. Attendees usually never set a password: they use magic links."""

    email = models.EmailField(_("email"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    language = models.CharField(_("preferred language"), max_length=10, default="en")
    is_staff = models.BooleanField(_("organiser"), default=False, help_text=_("Organisers may manage events."))
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # Set when the person first opened a link emailed to this address: only then do choices made
    # without a signed-in session (consents, joining an organisation by its domain) take effect.
    email_confirmed_at = models.DateTimeField(_("email confirmed at"), null=True, blank=True)
    # Set when the person was erased: the row stays as a tombstone so counts and aggregates hold.
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.get_full_name()


class Organisation(models.Model):
    class Status(models.TextChoices):
        # Named by someone at registration and not yet looked at by an organiser.
        PENDING = "pending", _("Waiting for an organiser")
        VERIFIED = "verified", _("Verified")

    class Kind(models.TextChoices):
        EMPLOYER = "employer", _("Employer")
        UNIVERSITY = "university", _("University")
        TRAINING_PROVIDER = "training_provider", _("Training provider")
        TECH_HUB = "tech_hub", _("Tech hub")
        GOVERNMENT = "government", _("Government institution")
        NGO = "ngo", _("NGO / international organisation")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2 code, e.g. LT, IQ."))
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.VERIFIED)
    email_domain = models.CharField(
        _("verified email domain"),
        max_length=253,
        blank=True,
        help_text=_(
            "Set only after checking that the domain belongs to this organisation: people whose confirmed "
            "address is on it join without waiting for approval."
        ),
    )

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name", "country"], name="organisation_unique_name_country")]

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"


class Event(models.Model):
    class Kind(models.TextChoices):
        JOB_FAIR = "job_fair", _("Job fair")
        DIALOGUE = "dialogue", _("Policy dialogue")
        TRAINING = "training", _("Training programme")
        WORKSHOP = "workshop", _("Workshop")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        LIVE = "live", _("Live")
        CLOSED = "closed", _("Closed")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    timezone = models.CharField(_("time zone"), max_length=64, default="Europe/Vilnius", validators=[validate_timezone])
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True, help_text=_("Empty: unlimited."))
    registration_open = models.BooleanField(_("registration open"), default=True)
    description = models.TextField(_("description"), blank=True)
    # At most one programme (events/programme_models.py); the event stays when its programme goes.
    programme = models.ForeignKey(
        "events.Programme", null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    personal_data_kept_until = models.DateField(
        _("personal data kept until"),
        null=True,
        blank=True,
        help_text=_("Empty: 12 months after the event ends. After this date attendees' personal data is erased."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def is_public(self) -> bool:
        return self.status in (self.Status.PUBLISHED, self.Status.LIVE, self.Status.CLOSED)

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("An event cannot end before it starts.")})


class Room(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("name"), max_length=120)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="room_unique_name_per_event")]

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    class Kind(models.TextChoices):
        TALK = "talk", _("Talk")
        PANEL = "panel", _("Panel")
        BILATERAL = "bilateral", _("Bilateral meeting")
        TRAINING = "training", _("Training module")
        BOOTH = "booth", _("Booth block")
        WORKSHOP = "workshop", _("Workshop")
        BREAK = "break", _("Break")
        OTHER = "other", _("Other")

    class Audience(models.TextChoices):
        PUBLIC = "public", _("Public")
        REGISTERED = "registered", _("Registered attendees")
        OFFICIALS = "officials", _("Officials only")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        LIVE = "live", _("Live")
        ENDED = "ended", _("Ended")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TALK)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions")
    track = models.CharField(_("track"), max_length=100, blank=True)
    speakers = models.CharField(_("speakers"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    audience = models.CharField(_("audience"), max_length=12, choices=Audience.choices, default=Audience.PUBLIC)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    # Bumped on every change a calendar must see; becomes the iCalendar SEQUENCE.
    revision = models.PositiveIntegerField(_("revision"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["event", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="session_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.title


class Registration(models.Model):
    class Role(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        EMPLOYER = "employer", _("Employer representative")
        OFFICIAL = "official", _("Official")
        SPEAKER = "speaker", _("Speaker")
        ORGANISER = "organiser", _("Organiser")
        STAFF = "staff", _("Door staff")
        # Granted per training event, as door staff are: sees and corrects that training's attendance.
        TRAINER = "trainer", _("Trainer")

    class Gender(models.TextChoices):
        WOMAN = "woman", _("Woman")
        MAN = "man", _("Man")
        ANOTHER = "another", _("Another gender")
        UNSAID = "prefer_not", _("Prefer not to say")

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        REGISTERED = "registered", _("Registered")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CANCELLED = "cancelled", _("Cancelled")
        DECLINED = "declined", _("Declined")

    # Statuses that take a seat against the event's capacity.
    SEATED = (Status.REGISTERED,)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="registrations")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.CANDIDATE)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="registrations"
    )
    # What the person typed for their organisation when registering, kept as typed: `organisation` is
    # what it became (a request to join, decided by events.memberships), and may be refused or removed.
    organisation_name = models.CharField(_("organisation as typed"), max_length=200, blank=True)
    delegation = models.CharField(
        _("delegation"), max_length=2, blank=True, help_text=_("Country code of the delegation at dialogue events.")
    )
    # Self-declared on the registration form, never required, for the programme's indicators only as
    # counts with small groups suppressed (matching/indicators.py); never shown per person.
    gender = models.CharField(
        _("gender (self-declared)"), max_length=16, choices=Gender.choices, blank=True, default=""
    )
    city = models.CharField(_("city (self-declared)"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED)
    language = models.CharField(_("preferred language"), max_length=10, default="en")
    # The person's current consents at this event, kept in step with their Consent rows by
    # events.consents (the only writer) so the door and the boards read them without a join.
    consent_share_profile = models.BooleanField(_("share my profile with employers"), default=False)
    consent_attendee_list = models.BooleanField(_("appear in attendee lists"), default=False)
    # Consents ticked on a form without a signed-in session, with the text version shown: they take
    # effect when the person confirms their address through the emailed link.
    pending_consents = models.JSONField(_("consents waiting for confirmation"), default=dict, blank=True)
    sessions = models.ManyToManyField(Session, blank=True, related_name="registrations")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Waitlist order: earliest first.
    waitlisted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="registration_one_per_person_event")]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self) -> str:
        return f"{self.user} @ {self.event}"


class Membership(models.Model):
    """A person's place in an organisation: asked for, then granted or refused, never simply claimed."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")
        REMOVED = "removed", _("Removed")

    class Via(models.TextChoices):
        REQUEST = "request", _("Asked to join")
        INVITATION = "invitation", _("Invited by a member")
        DOMAIN = "domain", _("Verified email domain")
        ORGANISER = "organiser", _("Added by an organiser")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    via = models.CharField(_("how"), max_length=12, choices=Via.choices, default=Via.REQUEST)
    # An organisation's admins may invite colleagues and decide on their requests.
    is_admin = models.BooleanField(_("organisation admin"), default=False)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("membership")
        ordering = ["-requested_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="membership_one_per_person_org")]
        indexes = [models.Index(fields=["organisation", "status"]), models.Index(fields=["status", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation} ({self.status})"


class Consent(models.Model):
    """One consent a person gave, with the exact text version they saw; withdrawing keeps the row."""

    class Purpose(models.TextChoices):
        SHARE_PROFILE = "share_profile", _("Shown to employers at the event")
        ATTENDEE_LIST = "attendee_list", _("Named on the event's attendee list")

    class Source(models.TextChoices):
        PAGE = "page", _("Web page")
        API = "api", _("API")
        CONFIRMATION = "confirmation", _("Registration form, confirmed by email")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    text_version = models.CharField(_("text version shown"), max_length=40)
    source = models.CharField(_("given through"), max_length=16, choices=Source.choices)
    # The page's path or the API token's name: where exactly the person said yes.
    client = models.CharField(_("client"), max_length=200, blank=True)
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        ordering = ["-given_at", "-id"]
        indexes = [models.Index(fields=["user", "event", "purpose"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "event", "purpose"],
                condition=Q(withdrawn_at__isnull=True),
                name="consent_one_active_per_purpose",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.purpose} @ {self.event_id}"


class EmailLedger(models.Model):
    """One row per email a task has sent, so a task that runs twice sends once."""

    key = models.CharField(max_length=200, unique=True)
    recipient = models.EmailField()
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.key


class ApiToken(HashedSecretMixin, models.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored; the token is shown once."""

    TOKEN_PREFIX = "ee_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=8, help_text=_("First characters, to tell tokens apart."))
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


# --- Calendar: feed tokens, per-event settings, what each person's calendar was told, the send ledger ---


def default_reminder_offsets() -> list[int]:
    return [24 * 60, 60]


def validate_reminder_offsets(value: object) -> None:
    if not isinstance(value, list) or not all(isinstance(v, int) and 0 < v <= 60 * 24 * 30 for v in value):
        raise ValidationError(_("Give a list of whole minutes between 1 and 43200, e.g. [1440, 60]."))


class FeedToken(models.Model):
    """The secret in a person's calendar subscription URL.

    Stored as is, not hashed: the person's page and the API must show the URL at any time, and the
    token only grants reading one calendar. Rotating replaces it, so the old URL answers 404.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="feed_token")
    key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    rotated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar feed token")

    def __str__(self) -> str:
        return f"{self.key[:6]}… ({self.user})"

    @staticmethod
    def generate() -> str:
        # 32 random bytes: 256 bits, far beyond guessing.
        return secrets.token_urlsafe(32)


class EventCalendarSettings(models.Model):
    """Calendar settings of one event, and the revision (SEQUENCE) of its event-level calendar item."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="calendar_settings")
    revision = models.PositiveIntegerField(_("revision"), default=0)
    send_invitations = models.BooleanField(_("send calendar invitations"), default=True)
    reminder_offsets = models.JSONField(
        _("reminders (minutes before each session)"),
        default=default_reminder_offsets,
        blank=True,
        validators=[validate_reminder_offsets],
        help_text=_("For example [1440, 60]: a day and an hour before. Empty: no reminders."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("event calendar settings")
        verbose_name_plural = _("event calendar settings")

    def __str__(self) -> str:
        return str(self.event)


class CalendarCopy(models.Model):
    """What one person's calendar was last told about one item.

    A person's SEQUENCE for an item is the item's revision plus `bump`; `bump` grows each time the
    item is withdrawn from or restored to this person alone, so a CANCEL always outranks the REQUEST.
    """

    class Kind(models.TextChoices):
        EVENT = "event", _("Event")
        SESSION = "session", _("Session")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="calendar_copies")
    uid = models.CharField(max_length=255)
    kind = models.CharField(max_length=16)
    object_id = models.BigIntegerField()
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    bump = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "uid"], name="calendarcopy_one_per_user_uid")]
        indexes = [models.Index(fields=["user", "active", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.uid} → {self.user}"


class CalendarDelivery(models.Model):
    """One calendar email. Unique per recipient, UID and SEQUENCE, so a task that runs twice sends once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        RETRYING = "retrying", _("Retrying")
        FAILED = "failed", _("Failed")

    recipient = models.EmailField(_("recipient"))
    uid = models.CharField(max_length=255)
    sequence = models.PositiveIntegerField()
    method = models.CharField(max_length=10)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=300)
    body = models.TextField()
    ics = models.TextField()
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar email")
        verbose_name_plural = _("calendar emails")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "uid", "sequence"], name="calendardelivery_once")]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.method} {self.uid} #{self.sequence} → {self.recipient}"


class Announcement(models.Model):
    """A message organisers send during an event, shown on phones and lobby screens; kept as history."""

    class Audience(models.TextChoices):
        EVENT = "event", _("Everyone at the event")
        ROLE = "role", _("One role")
        SESSION = "session", _("One session's attendees")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="announcements")
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, default=Audience.EVENT)
    role = models.CharField(_("role"), max_length=12, choices=Registration.Role.choices, blank=True)
    session = models.ForeignKey(Session, null=True, blank=True, on_delete=models.CASCADE, related_name="announcements")
    text = models.TextField(_("text"), max_length=1000)
    language = models.CharField(_("language of the text"), max_length=10, default="en")
    # {"ar": "…", "lt": "…"}: the sender's own translations, shown to people who prefer that language.
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    sent_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["event", "-created_at"])]

    def __str__(self) -> str:
        return self.text[:60]


# Programmes, minutes and action items live in their own module; imported here so Django registers them.
from events.programme_models import (  # noqa: E402, F401
    ActionItem,
    ActionItemUpdate,
    Minutes,
    Programme,
    ProgrammePartner,
)

# A programme's questionnaires and their answers (issue 13); imported here so Django registers them.
from events.questionnaire_models import (  # noqa: E402, F401
    Question,
    Questionnaire,
    QuestionnaireInvitation,
    QuestionnaireResponse,
    QuestionnaireSection,
)

# A programme's stakeholders and relationship log (issue 13); imported here so Django registers them.
from events.stakeholder_models import (  # noqa: E402, F401
    FollowUp,
    Interaction,
    Stakeholder,
    StakeholderContact,
)
