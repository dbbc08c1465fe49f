"""Programmes and what their policy dialogues produce: minutes and action items (issue 12).

A programme groups a partnership's events (training, job fair, dialogues) and its partner
organisations by country. Sessions and bilateral meetings get minutes; the commitments recorded in
them become action items, which make up the programme's roadmap.

Imported at the end of events/models.py so Django registers these models in the events app; import
them from `events.models`. Bilateral meetings are matching's `Meeting`: referred to by the string
"matching.Meeting" only, so events imports nothing of matching (tests/architecture/test_imports.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Organisation, Session

# Languages minutes are written and translated in (the site's languages).
MINUTES_LANGUAGES = ("en", "ar", "lt", "ckb")


def default_languages() -> list[str]:
    return ["en", "ar", "lt"]


class Programme(models.Model):
    """A partnership's programme: its events, partner organisations by country, dates and languages."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    # Language codes of the site's languages the programme works in, e.g. ["en", "ar", "lt"].
    languages = models.JSONField(_("languages"), default=default_languages, blank=True)
    partners = models.ManyToManyField(Organisation, through="ProgrammePartner", blank=True, related_name="programmes")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="programme_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ProgrammePartner(models.Model):
    """An organisation taking part in a programme, for one country, in one role."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead partner")
        IMPLEMENTING = "implementing", _("Implementing partner")
        PARTNER = "partner", _("Partner")
        ASSOCIATE = "associate", _("Associate")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="partnerships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="programme_partnerships")
    # The country the organisation represents in the programme (ISO 3166-1 alpha-2); usually its own.
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2 code, e.g. LT, IQ."))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.PARTNER)

    class Meta:
        verbose_name = _("programme partner")
        ordering = ["country", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "organisation"], name="programmepartner_once_per_programme")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.programme} ({self.country})"


class Minutes(models.Model):
    """The record of one session or one bilateral meeting: notes and decisions, with translations.

    Exactly one of `session` and `meeting` is set. The rapporteur (assigned by organisers) writes the
    draft; published minutes are read by the participants.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    session = models.OneToOneField(Session, null=True, blank=True, on_delete=models.CASCADE, related_name="minutes")
    meeting = models.OneToOneField(
        "matching.Meeting", null=True, blank=True, on_delete=models.CASCADE, related_name="minutes"
    )
    rapporteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(_("language of the text"), max_length=10, default="en")
    notes = models.TextField(_("notes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    # {"ar": {"notes": "…", "decisions": "…"}, …}: the writer's own translations.
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        constraints = [
            models.CheckConstraint(
                condition=Q(session__isnull=False, meeting__isnull=True)
                | Q(session__isnull=True, meeting__isnull=False),
                name="minutes_of_one_session_or_meeting",
            )
        ]

    def __str__(self) -> str:
        return f"minutes of session {self.session_id}" if self.session_id else f"minutes of meeting {self.meeting_id}"


class ActionItem(models.Model):
    """A commitment of a programme: who leads it, with whom, by when, and how far it has come.

    Its status moves only through events/actions.py (`TRANSITIONS`).
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        AGREED = "agreed", _("Agreed")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    class Visibility(models.TextChoices):
        OFFICIALS = "officials", _("Officials only")
        PUBLIC = "public", _("Public")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    theme = models.CharField(_("theme"), max_length=100, blank=True)
    lead_country = models.CharField(_("lead country"), max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2."))
    lead_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="led_actions"
    )
    partners = models.ManyToManyField(Organisation, blank=True, related_name="partner_actions")
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED)
    dropped_reason = models.TextField(_("why it was dropped"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.OFFICIALS
    )
    source_session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items"
    )
    source_meeting = models.ForeignKey(
        "matching.Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items"
    )
    # Bumped on every change a calendar shows (due date, title, status); the iCalendar SEQUENCE.
    revision = models.PositiveIntegerField(_("revision"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("action item")
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["programme", "status"]),
            models.Index(fields=["lead_organisation", "updated_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="dropped") | ~Q(dropped_reason=""), name="actionitem_dropped_has_reason"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ActionItemUpdate(models.Model):
    """One entry of an action item's history: who, when, what changed (field -> [old, new]), a comment."""

    item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("action item update")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.item_id} @ {self.created_at:%Y-%m-%d}"
