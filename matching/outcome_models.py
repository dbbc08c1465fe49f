"""What the fair led to: an outcome per (fair, candidate, employer organisation) and its audit trail.

Only matching/outcomes.py writes these rows; its `TRANSITIONS` says which stage may follow which.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.Model):
    """Where one candidate stands with one employer after a fair, as the employer recorded it."""

    class Stage(models.TextChoices):
        INVITED = "invited", _("Invited to an interview")
        INTERVIEWED = "interviewed", _("Interviewed")
        OFFER = "offer", _("Offer made")
        ACCEPTED = "accepted", _("Offer accepted")
        STARTED = "started", _("Started work")
        DECLINED = "declined", _("Declined")

    class OfferKind(models.TextChoices):
        INTERNSHIP = "internship", _("Internship")
        JOB = "job", _("Job")

    class WorkMode(models.TextChoices):
        ON_SITE = "on_site", _("On site")
        REMOTE = "remote", _("Remote")

    class Confirmation(models.TextChoices):
        PENDING = "pending", _("Not answered yet")
        CONFIRMED = "confirmed", _("Confirmed by the candidate")
        DISPUTED = "disputed", _("The candidate says this is not correct")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("events.Organisation", on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    offer_kind = models.CharField(_("offer"), max_length=10, choices=OfferKind.choices, blank=True)
    offer_country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2."))
    work_mode = models.CharField(_("remote or on site"), max_length=8, choices=WorkMode.choices, blank=True)
    # The candidate's answer to "Did this happen?" about the current stage; a new stage asks again.
    confirmation = models.CharField(max_length=10, choices=Confirmation.choices, default=Confirmation.PENDING)
    # When each stage was reached (an offer recorded straight away also dates the interview): the
    # indicators count what was reached, even if the candidate declined later.
    invited_at = models.DateTimeField(null=True, blank=True)
    interviewed_at = models.DateTimeField(null=True, blank=True)
    offer_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [models.UniqueConstraint(fields=["event", "candidate", "organisation"], name="outcome_once")]
        indexes = [models.Index(fields=["event", "organisation"]), models.Index(fields=["candidate", "event"])]

    def __str__(self) -> str:
        return f"{self.organisation_id}×{self.candidate_id}: {self.stage}"


class OutcomeChange(models.Model):
    """One dated, signed change of an outcome: a stage moved, or the candidate answered."""

    class Kind(models.TextChoices):
        STAGE = "stage", _("Stage changed")
        CONFIRMED = "confirmed", _("Candidate confirmed")
        DISPUTED = "disputed", _("Candidate said not correct")

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.STAGE)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()
    from_stage = models.CharField(max_length=12, blank=True)
    to_stage = models.CharField(max_length=12)
    note = models.TextField(blank=True, max_length=1000)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.outcome_id}: {self.from_stage or '-'} -> {self.to_stage} ({self.kind})"
