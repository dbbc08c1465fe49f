"""Training certificates that anyone can verify by their code (issue 14).

A certificate states what was true when it was issued: the trainee's name (in Latin and, where
given, Arabic script), the programme, its dates and the skills reached. Those are copied onto the
row, so a later change of a profile or a curriculum does not change what an employer reads back.
`matching/certificates.py` is the only writer.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Certificate(models.Model):
    # Crockford base32, stored normalised (upper case, no separators): matching/certificates.py.
    code = models.CharField(_("code"), max_length=16, unique=True)
    event = models.ForeignKey("events.Event", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates")
    name = models.CharField(_("name"), max_length=200)
    name_arabic = models.CharField(_("name in Arabic script"), max_length=200, blank=True)
    programme = models.CharField(_("programme"), max_length=200)
    training = models.CharField(_("training"), max_length=200)
    starts_on = models.DateField(_("training started on"))
    ends_on = models.DateField(_("training ended on"))
    # [{"name": "Python", "names": {"ar": "…"}, "level": 4}, …]: the skills reached, as issued.
    skills = models.JSONField(_("skills reached"), default=list, blank=True)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)
    # A reissue names the revoked certificate it replaces.
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaced_by"
    )

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            # One valid certificate per trainee and training; revoked ones stay, for the verify page.
            models.UniqueConstraint(
                fields=["event", "user"], condition=Q(revoked_at__isnull=True), name="certificate_one_valid"
            ),
        ]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None
