"""Training certificates: codes, issuing, revoking and looking one up (the only writer of `Certificate`).

A code is 16 Crockford base32 characters, shown in groups of four (`7KQ2-M9XD-3HTP-W4RC`): twelve
drawn with `secrets` (60 bits, so a guesser needs around 10^18 tries for a one-in-a-million
chance) and four check characters, an HMAC of the twelve under the site's secret key. A code with a
wrong check was mistyped or made up; one with a right check that no row holds was never issued.
Neither is a certificate, and the page says "not found" to both, with a hint for the first. Reading
back is forgiving, as Crockford intends: any case, any dashes or spaces, O read as 0, I and L as 1.

Only trainees who completed (the completion rule of `checkin.training`: standing "met") get one,
one valid certificate per trainee and training; issuing again returns the same one. A revoked
certificate stays, so its page can say so; issuing after a revocation makes a new code that names
the one it replaces.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from checkin import training
from checkin.selectors import is_organiser
from events.exceptions import EventsError
from events.models import Event, Registration, User
from events.tasks import enqueue_email, send_once
from events.text import text_problem
from matching.assessment_models import Round
from matching.assessment_progress import STRONG, trainee_progression
from matching.certificate_models import Certificate

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's: no I, L, O, U
RANDOM_LENGTH, CHECK_LENGTH = 12, 4
CODE_LENGTH = RANDOM_LENGTH + CHECK_LENGTH
# Crockford's reading rules: letters easily taken for digits read as those digits; separators are ignored.
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None, "\u00a0": None})
REASON_MAX = 300
NAME_MAX = 200
# Looked-up codes longer than this are not read at all (a code with generous separators fits).
INPUT_MAX = 40
_SALT = "matching.certificates.code"


class CertificateError(EventsError):
    """A refused certificate change, with a stable code."""


def _check(random_part: str) -> str:
    """The check characters of a code's random part: an HMAC under SECRET_KEY, in the same alphabet."""
    digest = salted_hmac(_SALT, random_part, algorithm="sha256").digest()
    number = int.from_bytes(digest[:4], "big")
    return "".join(ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(CHECK_LENGTH)))


def new_code() -> str:
    """A fresh code, normalised (no separators)."""
    random_part = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return random_part + _check(random_part)


def grouped(code: str) -> str:
    """A normalised code in groups of four, as printed and shown."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise(raw: str) -> str | None:
    """The code a person typed or scanned, read as Crockford intends; None when it cannot be a code."""
    if not isinstance(raw, str) or len(raw) > INPUT_MAX:
        return None
    code = raw.strip().upper().translate(_READ_AS)
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def verify_url(code: str) -> str:
    """The public verification address of a code: what the QR holds."""
    return settings.SITE_URL + reverse("certificates:verify", args=[grouped(code)])


@dataclass(frozen=True)
class Lookup:
    """What a looked-up code is: `valid`, `revoked`, `mistyped` (wrong check), `unknown` or `malformed`."""

    status: str
    certificate: Certificate | None = None

    @property
    def found(self) -> bool:
        return self.certificate is not None


def certificate_lookup(*, raw: str) -> Lookup:
    """The certificate a code names, and whether it is valid. Reads only."""
    code = normalise(raw)
    if code is None:
        return Lookup("malformed")
    if not hmac.compare_digest(_check(code[:RANDOM_LENGTH]), code[RANDOM_LENGTH:]):
        return Lookup("mistyped")
    certificate = Certificate.objects.filter(code=code).first()
    if certificate is None:
        return Lookup("unknown")
    return Lookup("valid" if certificate.is_valid else "revoked", certificate)


def skills_reached(*, registration: Registration) -> list[dict[str, Any]]:
    """The skills a trainee reached: their trainer's level at the end round is 3 or more (`STRONG`), highest first."""
    end = Round.values.index(Round.END)
    reached = []
    for row in trainee_progression(registration=registration)["skills"]:
        level = row["trainer"][end]
        if level is not None and level >= STRONG:
            skill = row["skill"]
            reached.append({"name": skill.name, "names": skill.names, "level": level})
    return sorted(reached, key=lambda s: (-s["level"], s["name"]))


def _require_organiser(by: Any) -> None:
    if not is_organiser(by):
        raise CertificateError(_("Only organisers may issue or revoke certificates."), code="forbidden", status=403)


def _clean_name_arabic(value: str) -> str:
    value = (value or "").strip()
    if len(value) > NAME_MAX:
        raise CertificateError(
            _("Keep the name under %(n)d characters.") % {"n": NAME_MAX}, code="name_too_long", status=422
        )
    problem = text_problem(value) if value else None
    if problem is not None:
        raise CertificateError(problem[1], code=problem[0], status=422)
    return value


def _issue_locked(registration: Registration, *, by: User, name_arabic: str, now: datetime) -> tuple[Certificate, bool]:
    """Inside a transaction with the registration locked: the valid certificate, made if there is none."""
    existing = Certificate.objects.filter(event=registration.event, user=registration.user, revoked_at__isnull=True)
    found = existing.first()
    if found is not None:
        return found, False
    event = registration.event
    tz = event.tzinfo
    replaces = (
        Certificate.objects.filter(event=event, user=registration.user, replaced_by__isnull=True)
        .order_by("-revoked_at", "-id")
        .first()
    )
    user = registration.user
    fields = {
        "event": event,
        "user": user,
        "name": user.full_name.strip(),
        "name_arabic": name_arabic or (replaces.name_arabic if replaces else ""),
        "programme": event.programme.name if event.programme_id else event.title,
        "training": event.title,
        "starts_on": event.starts_at.astimezone(tz).date(),
        "ends_on": event.ends_at.astimezone(tz).date(),
        "skills": skills_reached(registration=registration),
        "issued_at": now,
        "issued_by": by,
        "replaces": replaces,
    }
    # A collision of 60 random bits will not happen in practice; the unique index would still refuse it.
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return Certificate.objects.create(code=new_code(), **fields), True
        except IntegrityError:
            if existing.exists():
                return existing.get(), False
    raise CertificateError(_("Could not make a unique code. Try again."), code="code_collision", status=409)


def _notify(certificate_ids: list[int]) -> None:
    for pk in certificate_ids:
        transaction.on_commit(lambda pk=pk: enqueue_email(send_certificate_issued, pk))


def certificate_issue(
    *, registration: Registration, by: User, name_arabic: str = "", now: datetime | None = None
) -> tuple[Certificate, bool]:
    """Issue the trainee's certificate if they completed; returns it and whether it is new (idempotent)."""
    _require_organiser(by)
    name_arabic = _clean_name_arabic(name_arabic)
    event = registration.event
    is_trainee = (
        registration.role == Registration.Role.CANDIDATE and registration.status == Registration.Status.REGISTERED
    )
    if event.kind != Event.Kind.TRAINING or not is_trainee:
        raise CertificateError(_("Not found."), code="not_found", status=404)
    now = now or timezone.now()
    with transaction.atomic():
        # Issuing is one at a time per training, whether for one trainee or for all who completed.
        Event.objects.select_for_update().filter(pk=event.pk).first()
        standing = training.trainee_progress(registration=registration, now=now)["standing"]
        if standing.status != "met":
            raise CertificateError(_("This trainee has not completed the training."), code="not_completed", status=409)
        if not registration.user.full_name.strip():
            # Never the email address instead: the check page is public.
            raise CertificateError(
                _("This trainee's account has no name. Add it in the admin first."), code="name_missing", status=409
            )
        certificate, created = _issue_locked(registration, by=by, name_arabic=name_arabic, now=now)
        if created:
            _notify([certificate.pk])
    return certificate, created


def certificates_issue_completed(*, event: Event, by: User, now: datetime | None = None) -> list[Certificate]:
    """Issue a certificate to every trainee of the training who completed and has none; returns the new ones."""
    _require_organiser(by)
    if event.kind != Event.Kind.TRAINING:
        raise CertificateError(_("Not found."), code="not_found", status=404)
    now = now or timezone.now()
    created_ones = []
    with transaction.atomic():
        # One issuing run per training at a time, so two clicks make one certificate each.
        Event.objects.select_for_update().filter(pk=event.pk).first()
        rows = training.training_grid(event=event, now=now)["rows"]
        for registration in (row["registration"] for row in rows if row["standing"].status == "met"):
            if not registration.user.full_name.strip():
                continue  # left waiting on the organisers' page, where issuing it alone says why
            registration.event = event
            certificate, created = _issue_locked(registration, by=by, name_arabic="", now=now)
            if created:
                created_ones.append(certificate)
        _notify([c.pk for c in created_ones])
    return created_ones


def certificate_revoke(*, certificate: Certificate, by: User, reason: str, now: datetime | None = None) -> Certificate:
    """Revoke a certificate with a reason; its page then says revoked, with the date."""
    _require_organiser(by)
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError(_("Say why you revoke this certificate."), code="reason_required", status=422)
    if len(reason) > REASON_MAX:
        raise CertificateError(
            _("Keep the reason under %(n)d characters.") % {"n": REASON_MAX}, code="reason_too_long", status=422
        )
    problem = text_problem(reason)
    if problem is not None:
        raise CertificateError(problem[1], code=problem[0], status=422)
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.revoked_at is not None:
            raise CertificateError(_("This certificate is already revoked."), code="already_revoked", status=409)
        locked.revoked_at = now or timezone.now()
        locked.revoked_by = by
        locked.revoked_reason = reason
        locked.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
    return locked


def render_certificate_issued(certificate: Certificate) -> EmailMultiAlternatives:
    """The email telling a trainee their certificate is ready, in their language."""
    user = certificate.user
    language = user.language if user.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "certificate": certificate,
            "code": grouped(certificate.code),
            "verify_url": verify_url(certificate.code),
            "mine_url": settings.SITE_URL + reverse("certificates:mine"),
        }
        subject = " ".join(render_to_string("certificates/email_issued_subject.txt", context).split())
        text = render_to_string("certificates/email_issued.txt", context)
    return EmailMultiAlternatives(subject=subject, body=text, to=[user.email])


def send_certificate_issued(certificate_id: int) -> bool:
    """Email the trainee that their certificate is ready (a task: sends once per certificate)."""
    certificate = Certificate.objects.select_related("user").filter(pk=certificate_id).first()
    if certificate is None or not certificate.is_valid or not certificate.user.email:
        return False
    return send_once(
        key=f"certificate-issued:{certificate.pk}",
        recipient=certificate.user.email,
        build=lambda: render_certificate_issued(certificate),
    )
