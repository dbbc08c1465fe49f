"""A programme's questionnaires and the answers its stakeholders give (issue 13, "Questionnaires").

Every text a respondent reads (titles, introductions, questions, options) is a dict by language code,
{"en": "…", "ar": "…", "lt": "…", "ckb": "…"}: at least one language, the others translations;
`pick_text` chooses what a reader sees. Answers are one JSON object per response, keyed by the
question's `key`, in these shapes:

    single      "value"                                  (one of the question's option values)
    multiple    ["value", …]
    scale       1…5
    number      12 or 12.5                               (within settings.min/max when given)
    short_text  "…" (≤ 300 characters)   long_text "…" (≤ 5,000)
    date        "YYYY-MM-DD"
    skills      [{"skill": "<taxonomy slug>", "level": 0…5}, …]

A skill question says whether it asks for skills taught (curricula) or needed (institutions,
employers): the three-way skills gap reads the taught ones. The taxonomy lives in matching; events
reaches it through events.hooks, never by import.

Imported at the end of events/models.py so Django registers these models in the events app; import
them from `events.models`.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.programme_models import Programme
from events.stakeholder_models import Stakeholder, StakeholderContact

QUESTIONNAIRE_LANGUAGES = ("en", "ar", "lt", "ckb")


def pick_text(texts: Mapping[str, str] | None, language: str) -> str:
    """The text in `language`, else English, else the first language it has, else ""."""
    if not texts:
        return ""
    return texts.get(language) or texts.get("en") or next((t for t in texts.values() if t), "")


class Questionnaire(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for answers")
        CLOSED = "closed", _("Closed")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="questionnaires")
    # The shipped template it was made from ("ict_curriculum_review", "institutional_capacity"), or "".
    template = models.CharField(_("template"), max_length=40, blank=True)
    title = models.JSONField(_("title"), default=dict, help_text=_("By language code: en, ar, lt, ckb."))
    intro = models.JSONField(_("introduction"), default=dict, blank=True)
    # The stakeholder types it is written for (Stakeholder.Kind values); empty: any.
    audience = models.JSONField(_("written for"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Answers can be given and edited until then (and while the status is open).
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    # A personal link stops working this many days after it was sent.
    link_days = models.PositiveSmallIntegerField(_("links valid for (days)"), default=30)
    # Reminders to those who have not submitted, this many days after the link was sent.
    reminder_days = models.JSONField(_("reminders after (days)"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("questionnaire")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return pick_text(self.title, "en") or f"questionnaire {self.pk}"

    def accepts_answers(self, at=None) -> bool:
        at = at or timezone.now()
        return self.status == self.Status.OPEN and (self.closes_at is None or at < self.closes_at)


class QuestionnaireSection(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.JSONField(_("title"), default=dict)
    description = models.JSONField(_("description"), default=dict, blank=True)

    class Meta:
        verbose_name = _("questionnaire section")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return pick_text(self.title, "en")


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        SCALE = "scale", _("Scale 1–5")
        NUMBER = "number", _("Number")
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        DATE = "date", _("Date")
        SKILLS = "skills", _("Skills with levels")

    class SkillPurpose(models.TextChoices):
        TAUGHT = "taught", _("Skills taught")
        NEEDED = "needed", _("Skills needed")

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(QuestionnaireSection, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    # Stable within the questionnaire: answers, conditions and CSV columns use it.
    key = models.SlugField(_("key"), max_length=60)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    text = models.JSONField(_("question"), default=dict)
    help = models.JSONField(_("help text"), default=dict, blank=True)
    required = models.BooleanField(_("required"), default=False)
    # Choices: [{"value": "online", "label": {"en": "Online", "ar": "…"}}, …]
    options = models.JSONField(_("options"), default=list, blank=True)
    # Number: {"min": 0, "max": 10000}; scale: {"low": {"en": "…"}, "high": {…}} (labels of 1 and 5).
    settings = models.JSONField(_("settings"), default=dict, blank=True)
    skill_purpose = models.CharField(_("skills asked for"), max_length=10, choices=SkillPurpose.choices, blank=True)
    # Shown only when this earlier question's answer has one of `show_if_values` (its option values).
    show_if = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="dependents", verbose_name=_("show if")
    )
    show_if_values = models.JSONField(_("show if the answer is"), default=list, blank=True)

    class Meta:
        verbose_name = _("question")
        ordering = ["section__position", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "key"], name="question_key_once")]

    def __str__(self) -> str:
        return self.key


class QuestionnaireInvitation(models.Model):
    """A personal link to answer, sent to one stakeholder contact. The link carries a secret whose
    SHA-256 is kept here; it stops working when it expires or is revoked."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="invitations")
    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="invitations")
    contact = models.ForeignKey(
        StakeholderContact, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )
    email = models.EmailField(_("email"), blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    token_hash = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("first opened at"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("questionnaire invitation")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["questionnaire", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.questionnaire_id} → {self.stakeholder_id}"


class QuestionnaireResponse(models.Model):
    """One stakeholder's answers through one invitation: saved as they go, submitted once."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="responses")
    invitation = models.OneToOneField(QuestionnaireInvitation, on_delete=models.CASCADE, related_name="response")
    # Kept beside the invitation so analysis filters by type, country and city in one join.
    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="responses")
    language = models.CharField(_("language"), max_length=8, default="en")
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    # Grows by one with every save, so a stale tab's save is recognised (and a repeated one recorded once).
    revision = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("questionnaire response")
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["questionnaire", "submitted_at"])]

    def __str__(self) -> str:
        return f"response {self.pk}"
