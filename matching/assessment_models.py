"""A training's skill assessments (issue 14): its curriculum, and levels at intake, midpoint and end.

Levels here run 0–5 (0: none yet), unlike a candidate's declared 1–5. Every row is kept as written:
a new assessment of the same trainee, round, skill and source is a new row, and the newest row is the
level (who and when are the audit). Written only by matching.assessments.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

LEVEL_MAX = 5


class TrainingSkill(models.Model):
    """One taxonomy skill of a training's curriculum."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    skill = models.ForeignKey("matching.Skill", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "skill"], name="training_skill_once")]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.skill_id}"


class Round(models.TextChoices):
    INTAKE = "intake", _("Intake")
    MIDPOINT = "midpoint", _("Midpoint")
    # "End" alone is the session button's verb ("End the session"); here it is the last round, a noun.
    END = "end", pgettext_lazy("assessment round", "End")


class SkillAssessment(models.Model):
    """A trainee's level in one skill at one round: their own (self) or their trainer's."""

    class Source(models.TextChoices):
        SELF = "self", _("Self-assessment")
        TRAINER = "trainer", _("Trainer")

    registration = models.ForeignKey("events.Registration", on_delete=models.CASCADE, related_name="skill_assessments")
    skill = models.ForeignKey("matching.Skill", on_delete=models.CASCADE, related_name="+")
    round = models.CharField(_("round"), max_length=8, choices=Round.choices)
    source = models.CharField(_("by"), max_length=7, choices=Source.choices)
    level = models.PositiveSmallIntegerField(_("level"), validators=[MaxValueValidator(LEVEL_MAX)])
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["registration", "round", "source"])]

    def __str__(self) -> str:
        return f"{self.registration_id} {self.round} {self.source} {self.skill_id}={self.level}"


class PracticalTaskScore(models.Model):
    """A trainee's score in a practical task at one round (the newest row of a task and round counts)."""

    registration = models.ForeignKey("events.Registration", on_delete=models.CASCADE, related_name="task_scores")
    round = models.CharField(_("round"), max_length=8, choices=Round.choices)
    task = models.CharField(_("task"), max_length=120)
    score = models.PositiveSmallIntegerField(_("score"))
    max_score = models.PositiveSmallIntegerField(_("out of"), validators=[MinValueValidator(1)])
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["registration", "round"])]

    def __str__(self) -> str:
        return f"{self.registration_id} {self.round} {self.task}: {self.score}/{self.max_score}"
