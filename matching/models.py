"""Skills, candidate profiles, openings, interest marks, meeting requests, meetings and booth leads."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matching.skill_names import skill_label

LEVELS = [
    (1, _("1 – basic")),
    (2, _("2 – elementary")),
    (3, _("3 – good")),
    (4, _("4 – advanced")),
    (5, _("5 – expert")),
]
LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]

# Languages a candidate or opening may name; ISO 639-1 (ckb for Sorani Kurdish).
LANGUAGES = [
    ("ar", _("Arabic")),
    ("en", _("English")),
    ("lt", _("Lithuanian")),
    ("ckb", _("Kurdish (Sorani)")),
    ("kmr", _("Kurdish (Kurmanji)")),
    ("tr", _("Turkish")),
    ("ru", _("Russian")),
    ("de", _("German")),
    ("fr", _("French")),
    ("pl", _("Polish")),
    ("fa", _("Persian")),
]

IRAQI_CITIES = [
    ("baghdad", _("Baghdad")),
    ("basra", _("Basra")),
    ("mosul", _("Mosul")),
    ("erbil", _("Erbil")),
    ("sulaymaniyah", _("Sulaymaniyah")),
    ("duhok", _("Duhok")),
    ("kirkuk", _("Kirkuk")),
    ("najaf", _("Najaf")),
    ("karbala", _("Karbala")),
    ("nasiriyah", _("Nasiriyah")),
    ("hillah", _("Hillah")),
    ("ramadi", _("Ramadi")),
]

CV_MAX_BYTES = 2 * 1024 * 1024


def validate_cv_size(file: object) -> None:
    from django.core.exceptions import ValidationError

    if getattr(file, "size", 0) > CV_MAX_BYTES:
        raise ValidationError(_("The CV must be at most 2 MB."), code="cv_too_large")


def validate_pdf_magic(file: object) -> None:
    from django.core.exceptions import ValidationError

    # A renamed .docx or image is not a PDF: check the header, not the name.
    head = b""
    try:
        pos = file.tell()  # type: ignore[attr-defined]
        file.seek(0)  # type: ignore[attr-defined]
        head = file.read(5)  # type: ignore[attr-defined]
        file.seek(pos)  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        pass
    if head != b"%PDF-":
        raise ValidationError(_("The CV must be a PDF file."), code="cv_not_pdf")


def private_storage() -> FileSystemStorage:
    # CVs live outside MEDIA_URL: no web server serves them; only the CV view does, after a permission check.
    return FileSystemStorage(location=settings.MEDIA_ROOT / "private", base_url=None)


def cv_upload_to(instance: CandidateProfile, filename: str) -> str:
    return f"cv/{instance.user_id}/{timezone.now():%Y%m%d%H%M%S}.pdf"


class Skill(models.Model):
    class Group(models.TextChoices):
        PROGRAMMING = "programming", _("Programming languages")
        WEB = "web", _("Web and frameworks")
        MOBILE = "mobile", _("Mobile")
        CLOUD = "cloud", _("Cloud and DevOps")
        DATA = "data", _("Data and AI")
        DATABASES = "databases", _("Databases")
        SECURITY = "security", _("Security")
        INFRASTRUCTURE = "infrastructure", _("Networking and infrastructure")
        DESIGN = "design", _("Design")
        TESTING = "testing", _("Testing")
        MANAGEMENT = "management", _("Project and product management")
        ENGINEERING = "engineering", _("Software engineering")
        BUSINESS = "business", _("Business and communication")
        OTHER = "other", _("Other")

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    group = models.CharField(_("group"), max_length=20, choices=Group.choices, default=Group.OTHER)
    aliases = models.JSONField(
        _("aliases"), default=list, blank=True, help_text=_("Other spellings, lower case: English, Arabic, Lithuanian.")
    )
    related = models.ManyToManyField("self", blank=True, symmetrical=True, verbose_name=_("related skills"))
    esco_uri = models.URLField(_("ESCO concept URI"), blank=True)
    # {"ar": "…", "lt": "…", "ckb": "…"}: the name in other languages (matching/data/skill_names.json);
    # a language missing here reads `name`, which is English.
    names = models.JSONField(
        _("names in other languages"), default=dict, blank=True, help_text=_("By language code: ar, lt, ckb.")
    )

    class Meta:
        ordering = ["group", "name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the active language, English when there is none."""
        return skill_label(self.name, self.names)


class CandidateProfile(models.Model):
    class Seeking(models.TextChoices):
        INTERNSHIP = "internship", _("Internship")
        JOB = "job", _("Job")
        BOTH = "both", _("Internship or job")

    class Education(models.TextChoices):
        SECONDARY = "secondary", _("Secondary school")
        VOCATIONAL = "vocational", _("Vocational training")
        STUDENT = "student", _("University student")
        BACHELOR = "bachelor", _("Bachelor's degree")
        MASTER = "master", _("Master's degree")
        DOCTORATE = "doctorate", _("Doctorate")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="candidate_profile")
    headline = models.CharField(_("headline"), max_length=140, blank=True)
    education = models.CharField(_("education"), max_length=12, choices=Education.choices, blank=True)
    field_of_study = models.CharField(_("field of study"), max_length=120, blank=True)
    years_experience = models.PositiveSmallIntegerField(
        _("years of experience"), default=0, validators=[MaxValueValidator(60)]
    )
    seeking = models.CharField(_("looking for"), max_length=12, choices=Seeking.choices, default=Seeking.BOTH)
    cities = models.JSONField(_("cities in Iraq"), default=list, blank=True)
    relocate_lithuania = models.BooleanField(_("ready to relocate to Lithuania"), default=False)
    remote = models.BooleanField(_("open to remote work"), default=False)
    available_from = models.DateField(_("available from"), null=True, blank=True)
    cv = models.FileField(
        _("CV (PDF)"),
        storage=private_storage,
        upload_to=cv_upload_to,
        blank=True,
        validators=[FileExtensionValidator(["pdf"]), validate_cv_size, validate_pdf_magic],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("candidate profile")

    def __str__(self) -> str:
        return str(self.user)


class CandidateSkill(models.Model):
    profile = models.ForeignKey(CandidateProfile, on_delete=models.CASCADE, related_name="skill_levels")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(_("level"), choices=LEVELS, default=3, validators=LEVEL_VALIDATORS)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "skill"], name="candidateskill_once"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="candidateskill_level_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.skill_id}@{self.level}"


class CandidateLanguage(models.Model):
    profile = models.ForeignKey(CandidateProfile, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGES)
    level = models.PositiveSmallIntegerField(_("level"), choices=LEVELS, default=3, validators=LEVEL_VALIDATORS)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["profile", "language"], name="candidatelanguage_once")]

    def __str__(self) -> str:
        return f"{self.language}@{self.level}"


# Two days: long enough to be answered from an email, which the candidate may read the next day.
REQUEST_EXPIRY_DEFAULT = 48 * 60


class FairConfig(models.Model):
    """How an event runs its booths: the slot grid, request expiry and the caps that spread attention."""

    event = models.OneToOneField("events.Event", on_delete=models.CASCADE, related_name="fair_config")
    starts_at = models.DateTimeField(_("meetings start"))
    ends_at = models.DateTimeField(_("meetings end"))
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot length (minutes)"), default=10, validators=[MinValueValidator(5), MaxValueValidator(120)]
    )
    # Long enough to answer from an email; shortened while both sides stand in the hall (below).
    request_expiry_minutes = models.PositiveSmallIntegerField(
        _("pending requests expire after (minutes)"),
        default=REQUEST_EXPIRY_DEFAULT,
        validators=[MinValueValidator(5), MaxValueValidator(20160)],
        help_text=_("The candidate is emailed the request and answers from the email; 2880 minutes is 48 hours."),
    )
    request_expiry_on_site_minutes = models.PositiveSmallIntegerField(
        _("pending requests expire after, while both are at the fair (minutes)"),
        default=15,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
        help_text=_("Used instead when the candidate and someone from the employer are both checked in."),
    )
    employer_open_requests = models.PositiveSmallIntegerField(_("open requests per employer"), default=8)
    candidate_open_requests = models.PositiveSmallIntegerField(_("open requests per candidate"), default=3)
    candidate_meeting_limit = models.PositiveSmallIntegerField(_("meetings per candidate"), default=5)
    board_size = models.PositiveSmallIntegerField(_("candidates shown per opening"), default=20)
    no_show_grace_minutes = models.PositiveSmallIntegerField(_("no-show grace (minutes)"), default=5)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="fair_ends_after")]

    def __str__(self) -> str:
        return f"{self.event}"

    @property
    def slot_count(self) -> int:
        return max(0, int((self.ends_at - self.starts_at) / timedelta(minutes=self.slot_minutes)))

    def slot_start(self, index: int):
        return self.starts_at + timedelta(minutes=self.slot_minutes * index)

    def slot_at(self, moment) -> int:
        """The index of the slot running at `moment` (negative before the start)."""
        return int((moment - self.starts_at) // timedelta(minutes=self.slot_minutes))


class Booth(models.Model):
    """An employer's presence at a fair: how many tables it staffs, so how many meetings per slot."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="booths")
    organisation = models.ForeignKey("events.Organisation", on_delete=models.CASCADE, related_name="booths")
    tables = models.PositiveSmallIntegerField(_("tables"), default=1, validators=[MinValueValidator(1)])
    location = models.CharField(_("booth location"), max_length=60, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "organisation"], name="booth_once")]

    def __str__(self) -> str:
        return f"{self.organisation} @ {self.event}"


class Opening(models.Model):
    class Kind(models.TextChoices):
        INTERNSHIP = "internship", _("Internship")
        JOB = "job", _("Job")

    class Remote(models.TextChoices):
        ONSITE = "onsite", _("On site")
        HYBRID = "hybrid", _("Hybrid")
        REMOTE = "remote", _("Remote")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="openings")
    organisation = models.ForeignKey("events.Organisation", on_delete=models.CASCADE, related_name="openings")
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.JOB)
    country = models.CharField(_("country"), max_length=2, default="LT")
    city = models.CharField(_("city"), max_length=100, blank=True)
    remote_policy = models.CharField(_("remote policy"), max_length=8, choices=Remote.choices, default=Remote.ONSITE)
    relocation_support = models.BooleanField(_("relocation support"), default=False)
    visa_support = models.BooleanField(_("visa support"), default=False)
    min_years_experience = models.PositiveSmallIntegerField(_("minimum years of experience"), default=0)
    seats = models.PositiveSmallIntegerField(_("seats"), default=1, validators=[MinValueValidator(1)])
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "title"]
        indexes = [models.Index(fields=["event", "is_active"])]

    def __str__(self) -> str:
        return self.title


class OpeningSkill(models.Model):
    opening = models.ForeignKey(Opening, on_delete=models.CASCADE, related_name="skill_needs")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="+")
    required = models.BooleanField(_("required"), default=True)
    min_level = models.PositiveSmallIntegerField(
        _("minimum level"), choices=LEVELS, default=3, validators=LEVEL_VALIDATORS
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["opening", "skill"], name="openingskill_once")]

    def __str__(self) -> str:
        return f"{self.skill_id}>={self.min_level}"


class OpeningLanguage(models.Model):
    opening = models.ForeignKey(Opening, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGES)
    min_level = models.PositiveSmallIntegerField(
        _("minimum level"), choices=LEVELS, default=3, validators=LEVEL_VALIDATORS
    )
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["opening", "language"], name="openinglanguage_once")]

    def __str__(self) -> str:
        return f"{self.language}>={self.min_level}"


class Star(models.Model):
    """A candidate's interest in an employer."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stars")
    organisation = models.ForeignKey("events.Organisation", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "candidate", "organisation"], name="star_once")]

    def __str__(self) -> str:
        return f"{self.candidate_id}→{self.organisation_id}"


class EmployerMark(models.Model):
    """An employer's verdict on a candidate: shortlisted, or "not now" (hidden from the board)."""

    class Kind(models.TextChoices):
        SHORTLIST = "shortlist", _("Shortlisted")
        NOT_NOW = "not_now", _("Not now")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("events.Organisation", on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "organisation", "candidate"], name="employermark_once")]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.kind} {self.candidate_id}"


class MeetingRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")
        CANCELLED = "cancelled", _("Cancelled")

    class From(models.TextChoices):
        EMPLOYER = "employer", _("Employer")
        CANDIDATE = "candidate", _("Candidate")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="meeting_requests")
    organisation = models.ForeignKey("events.Organisation", on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    opening = models.ForeignKey(Opening, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    sent_by = models.CharField(max_length=10, choices=From.choices, default=From.EMPLOYER)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    message = models.CharField(_("message"), max_length=280, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["event", "status", "expires_at"])]
        constraints = [
            # One open request per pair: a second tap must not spam the other side.
            models.UniqueConstraint(
                fields=["event", "organisation", "candidate"],
                condition=Q(status="pending"),
                name="meetingrequest_one_pending_per_pair",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}↔{self.candidate_id} {self.status}"


class Meeting(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CONFIRMED = "confirmed", _("Took place")
        NO_SHOW = "no_show", _("No-show")
        CANCELLED = "cancelled", _("Cancelled")

    class Source(models.TextChoices):
        REQUEST = "request", _("Meeting request")
        TIMETABLE = "timetable", _("Timetable")
        STANDBY = "standby", _("Standby refill")
        BILATERAL = "bilateral", _("Bilateral meeting")

    ACTIVE = (Status.BOOKED, Status.CONFIRMED)

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="meetings")
    organisation = models.ForeignKey("events.Organisation", on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    opening = models.ForeignKey(Opening, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    request = models.OneToOneField(
        MeetingRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="meeting"
    )
    slot = models.PositiveIntegerField(_("slot"))
    table = models.PositiveSmallIntegerField(_("table"), default=1)
    room = models.ForeignKey("events.Room", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.BOOKED)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.REQUEST)
    locked = models.BooleanField(_("locked"), default=False, help_text=_("Re-running the timetable keeps it."))
    candidate_confirmed_at = models.DateTimeField(null=True, blank=True)
    employer_confirmed_at = models.DateTimeField(null=True, blank=True)
    # The iCalendar SEQUENCE both sides' calendars last saw (feeds and emailed invitations alike):
    # save() moves it when something a calendar shows changes (CALENDAR_FIELDS, or the meeting
    # stops being active), so a confirmation tap sends nothing and a move is an update.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    CALENDAR_FIELDS = ("starts_at", "ends_at", "room_id", "table")

    class Meta:
        ordering = ["starts_at", "table"]
        constraints = [
            # The database itself refuses double bookings, whatever races the services lose.
            models.UniqueConstraint(
                fields=["event", "organisation", "slot", "table"],
                condition=Q(status__in=["booked", "confirmed"]),
                name="meeting_table_slot_once",
            ),
            models.UniqueConstraint(
                fields=["event", "candidate", "slot"],
                condition=Q(status__in=["booked", "confirmed"]),
                name="meeting_candidate_slot_once",
            ),
            models.UniqueConstraint(
                fields=["event", "organisation", "candidate"],
                condition=Q(status__in=["booked", "confirmed"]),
                name="meeting_pair_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}×{self.candidate_id} slot {self.slot}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen = getattr(self, "_calendar_seen", None)
        if seen is not None and seen != self._calendar_state():
            self.sequence += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "sequence"}
        super().save(*args, **kwargs)
        self._calendar_seen = self._calendar_state()

    @classmethod
    def from_db(cls, db, field_names, values):  # type: ignore[no-untyped-def]
        instance = super().from_db(db, field_names, values)
        # What a calendar showed when this row was read (not for a row read with deferred fields).
        if {*cls.CALENDAR_FIELDS, "status"} <= set(field_names):
            instance._calendar_seen = instance._calendar_state()
        return instance

    def _calendar_state(self) -> tuple[object, ...]:
        return (*(getattr(self, name, None) for name in self.CALENDAR_FIELDS), self.status in self.ACTIVE)


class Lead(models.Model):
    """A candidate an employer met or scanned at the booth: the employer's own list after the fair."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("events.Organisation", on_delete=models.CASCADE, related_name="leads")
    candidate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)
    captured_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [models.UniqueConstraint(fields=["event", "organisation", "candidate"], name="lead_once")]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.candidate_id}"


class CvView(models.Model):
    """Someone other than the candidate opened their CV: the candidate sees who and when."""

    candidate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cv_views")
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # The organisation the viewer acted for (empty for organisers), kept if the viewer is erased.
    organisation = models.ForeignKey(
        "events.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    viewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("CV view")
        ordering = ["-viewed_at", "-id"]
        indexes = [models.Index(fields=["candidate", "-viewed_at"])]

    def __str__(self) -> str:
        return f"{self.viewer_id} viewed {self.candidate_id}"


class DialogueTopic(models.Model):
    """A topic on the table at a dialogue event, named in each of the platform's languages."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="dialogue_topics")
    name = models.CharField(_("name (English)"), max_length=120)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120, blank=True)
    name_lt = models.CharField(_("name (Lithuanian)"), max_length=120, blank=True)
    name_ckb = models.CharField(_("name (Kurdish Sorani)"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("dialogue topic")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="dialogue_topic_once")]

    def __str__(self) -> str:
        return self.name

    def label(self, language: str | None) -> str:
        """The topic's name in `language` (a code such as "ar" or "lt"), English when it has none."""
        code = (language or "en").split("-")[0]
        return (getattr(self, f"name_{code}", "") if code != "en" else "") or self.name


class DialogueSettings(models.Model):
    """How a dialogue event takes bilateral wishes: organisers close them before scheduling."""

    event = models.OneToOneField("events.Event", on_delete=models.CASCADE, related_name="dialogue_settings")
    wishes_open = models.BooleanField(_("officials may state bilateral wishes"), default=True)
    wishes_close_at = models.DateTimeField(
        _("wishes close at"), null=True, blank=True, help_text=_("Empty: open until closed by hand.")
    )

    class Meta:
        verbose_name = _("dialogue settings")
        verbose_name_plural = _("dialogue settings")

    def __str__(self) -> str:
        return f"{self.event}"

    def accepts_wishes(self, now) -> bool:
        return self.wishes_open and (self.wishes_close_at is None or now < self.wishes_close_at)


class BilateralWish(models.Model):
    """At a dialogue event: an official wants to meet a counterpart institution, this much (1–5).

    `person` optionally names whom of that institution they hope to meet (one of the other
    delegation's officials who agreed to be listed); the meeting is still booked with the institution.
    """

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    official = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    counterpart = models.ForeignKey("events.Organisation", on_delete=models.CASCADE, related_name="+")
    weight = models.PositiveSmallIntegerField(default=3, validators=[MinValueValidator(1), MaxValueValidator(5)])
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    topics = models.ManyToManyField(DialogueTopic, blank=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "official", "counterpart"], name="wish_once")]

    def __str__(self) -> str:
        return f"{self.official_id}→{self.counterpart_id} ({self.weight})"


class BilateralBusy(models.Model):
    """At a dialogue event: a published bilateral time at which an official cannot meet anybody."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    official = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "official", "starts_at"], name="bilateral_busy_once")]

    def __str__(self) -> str:
        return f"{self.official_id} busy {self.starts_at:%Y-%m-%d %H:%M}"


class ScheduleRun(models.Model):
    """One run of the timetable optimiser, with progress the organiser watches."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Kind(models.TextChoices):
        BOOTHS = "booths", _("Booth timetable")
        BILATERAL = "bilateral", _("Bilateral meetings")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.BOOTHS)
    fair = models.BooleanField(default=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    meetings_created = models.PositiveIntegerField(default=0)
    # Bilateral runs: the wishes it could not place and why, as ids and reason codes (names are read when shown).
    unplaced = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.status} {self.progress}%"


# Issue 14, imported here so Django registers them: a training's skill assessments, certificates
# anyone can verify, and what the fair led to (outcomes per candidate and employer).
from matching.assessment_models import PracticalTaskScore, SkillAssessment, TrainingSkill  # noqa: E402, F401
from matching.certificate_models import Certificate  # noqa: E402, F401
from matching.outcome_models import Outcome, OutcomeChange  # noqa: E402, F401
