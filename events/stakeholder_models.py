"""A programme's stakeholders and the relationship kept with them (issue 13, "Stakeholders and relationships").

A stakeholder is an organisation the programme works to understand (a university, a ministry, a tech
hub…), not a platform account: its contact people usually have none. They are personal data all the
same, held only on a recorded consent basis, exported and erased through events/personal_data.py.

Imported at the end of events/models.py so Django registers these models in the events app; import
them from `events.models`. events/stakeholders.py is the only writer.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.programme_models import Programme
from events.text import validate_free_text, validate_plain_text


class Stakeholder(models.Model):
    """An organisation in a programme's stakeholder directory."""

    class Kind(models.TextChoices):
        UNIVERSITY = "university", _("University")
        TRAINING_PROVIDER = "training_provider", _("Training provider")
        TECH_HUB = "tech_hub", _("Tech hub")
        COMPANY = "company", _("Company")
        GOVERNMENT = "government", _("Government institution")
        NGO = "ngo", _("NGO")
        INTERNATIONAL = "international", _("International organisation")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="stakeholders")
    name = models.CharField(_("organisation name"), max_length=200, validators=[validate_plain_text])
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2 code, e.g. IQ, LT."))
    city = models.CharField(_("city"), max_length=100, blank=True, validators=[validate_plain_text])
    website = models.URLField(_("website"), blank=True)
    # Lower-case free tags, e.g. ["ict", "curriculum"]; filtered in Python (a programme has hundreds at most).
    tags = models.JSONField(_("tags"), default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("stakeholder")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["programme", "kind"]), models.Index(fields=["programme", "country", "city"])]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name", "country"], name="stakeholder_once_per_programme")
        ]

    def __str__(self) -> str:
        return self.name


class StakeholderContact(models.Model):
    """A person at a stakeholder. Recorded only with their consent, and on which basis it was given."""

    class ConsentBasis(models.TextChoices):
        IN_WRITING = "in_writing", _("Agreed in writing (email or form)")
        IN_PERSON = "in_person", _("Agreed in person, noted by the organiser")
        OWN_ACCOUNT = "own_account", _("Agreed in their own account on this site")

    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="contacts")
    # Set when the person has an account here, so "download my data" and erasure find them by it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200, validators=[validate_plain_text])
    role = models.CharField(_("role"), max_length=200, blank=True, validators=[validate_plain_text])
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[validate_plain_text])
    consent_basis = models.CharField(_("consent basis"), max_length=20, choices=ConsentBasis.choices)
    consent_given_on = models.DateField(_("consent given on"))
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("stakeholder contact")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Interaction(models.Model):
    """One contact with a stakeholder: a meeting, call, visit, email or event attended."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        CALL = "call", _("Call")
        VISIT = "visit", _("Visit")
        EMAIL = "email", _("Email")
        EVENT = "event", _("Event attended")

    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="interactions")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    happened_on = models.DateField(_("date"))
    # Who took part: the programme's people (accounts) and the stakeholder's contacts.
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    contacts = models.ManyToManyField(StakeholderContact, blank=True, related_name="interactions")
    notes = models.TextField(_("notes"), blank=True, validators=[validate_free_text])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("interaction")
        ordering = ["-happened_on", "-id"]
        indexes = [models.Index(fields=["stakeholder", "-happened_on"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.happened_on}"


class FollowUp(models.Model):
    """Something someone of the programme must do next about a stakeholder, by a date."""

    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="follow_ups")
    interaction = models.ForeignKey(
        Interaction, null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups"
    )
    title = models.CharField(_("what to do"), max_length=200, validators=[validate_plain_text])
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stakeholder_follow_ups",
    )
    due_on = models.DateField(_("due on"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("follow-up")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["owner", "done_at", "due_on"])]

    def __str__(self) -> str:
        return self.title
