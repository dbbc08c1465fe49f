"""Personal links to answer a questionnaire: sending, resending, revoking and reminding (issue 13).

The only writer of QuestionnaireInvitation. A link is `/q/<secret>/`: the secret comes from
`secrets`, and only its SHA-256 is stored, so neither the database nor the task queue holds a
working link. The secret is made in the email task itself, inside the transaction that records the
email as sent (events.tasks.send_or_retry): every email about an invitation (the first, a resend, a
reminder) carries a fresh secret and the one before stops working. The answers belong to the
invitation, not to the secret, so a newer link opens the same answers, and the phone keeps its
unsent ones under the invitation's number (static/js/questionnaire.js), not under the secret.

Which contacts: those of the programme's stakeholders who have an email address (contacts are held
on their recorded consent; events/stakeholder_models.py), optionally of some stakeholder types. A
contact who already holds a live link (not revoked, not expired) is not sent a second one.

The email is in the contact's language: their account's when they have one, else the organiser's
choice on the send form, else a guess from where the stakeholder is (Iraqi Kurdistan: Kurdish,
elsewhere in Iraq: Arabic, Lithuania: Lithuanian, otherwise English). They can switch language on
the answering page.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from events.exceptions import EventsError, PermissionDenied
from events.models import (
    Questionnaire,
    QuestionnaireInvitation,
    QuestionnaireResponse,
    Stakeholder,
    StakeholderContact,
)
from events.questionnaire_models import QUESTIONNAIRE_LANGUAGES, pick_text
from events.stakeholder_selectors import may_see_stakeholders
from events.tasks import enqueue_email, send_or_retry

# django-q2 schedule that sends the reminders (created by events/migrations/0013).
REMINDER_SCHEDULE = "questionnaire-reminders"
KURDISTAN_CITIES = {"erbil", "hawler", "sulaymaniyah", "slemani", "duhok", "halabja"}


class Kind:
    FIRST = "first"
    RESEND = "resend"
    REMINDER = "reminder"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_url(token: str) -> str:
    return f"{settings.SITE_URL}/q/{token}/"


def _unguessable_placeholder() -> str:
    # Until its first email makes the real secret, an invitation holds the hash of a secret nobody has.
    return token_hash("unsent:" + secrets.token_urlsafe(32))


def invitation_by_token(token: str) -> QuestionnaireInvitation | None:
    """The invitation whose link carries `token` (revoked and expired ones too: the page says so)."""
    if not token or len(token) > 100:
        return None
    return (
        QuestionnaireInvitation.objects.select_related("questionnaire", "stakeholder")
        .filter(token_hash=token_hash(token))
        .first()
    )


def link_state(invitation: QuestionnaireInvitation, now: datetime | None = None) -> str:
    """ "ok", "revoked", "expired" or "closed" (the questionnaire takes no more answers)."""
    now = now or timezone.now()
    if invitation.revoked_at is not None:
        return "revoked"
    if invitation.sent_at is None or now >= invitation.expires_at:
        return "expired"
    if not invitation.questionnaire.accepts_answers(now):
        return "closed"
    return "ok"


def guess_language(stakeholder: Stakeholder) -> str:
    if stakeholder.country == "IQ":
        return "ckb" if stakeholder.city.strip().lower() in KURDISTAN_CITIES else "ar"
    return {"LT": "lt"}.get(stakeholder.country, "en")


def contact_language(contact: StakeholderContact, chosen: str = "") -> str:
    own = getattr(contact.user, "language", "") if contact.user_id else ""
    for language in (own, chosen):
        if language in QUESTIONNAIRE_LANGUAGES:
            return language
    return guess_language(contact.stakeholder)


def _check(actor: Any, questionnaire: Questionnaire) -> None:
    if not may_see_stakeholders(user=actor, programme=questionnaire.programme):
        raise PermissionDenied(_("Only the programme's organisers and staff send its questionnaires."))


@dataclass
class SendReport:
    invited: list[QuestionnaireInvitation] = field(default_factory=list)
    already: int = 0  # contacts who hold a live link already
    without_email: int = 0


def invitations_send(
    *,
    questionnaire: Questionnaire,
    actor: Any,
    kinds: list[str] | None = None,
    language: str = "",
    now: datetime | None = None,
) -> SendReport:
    """Send a personal link to every contact with an email of the programme's stakeholders (of `kinds`)."""
    now = now or timezone.now()
    report = SendReport()
    with transaction.atomic():
        questionnaire = Questionnaire.objects.select_for_update().select_related("programme").get(pk=questionnaire.pk)
        _check(actor, questionnaire)
        if not questionnaire.accepts_answers(now):
            raise EventsError(_("Open the questionnaire before sending it."), code="not_open", status=409)
        stakeholders = Stakeholder.objects.filter(programme=questionnaire.programme)
        if kinds:
            stakeholders = stakeholders.filter(kind__in=kinds)
        contacts = StakeholderContact.objects.filter(stakeholder__in=stakeholders).select_related("stakeholder", "user")
        live = set(
            questionnaire.invitations.filter(revoked_at__isnull=True, expires_at__gt=now).values_list(
                "contact_id", flat=True
            )
        )
        for contact in contacts.order_by("stakeholder__name", "name", "id"):
            if not contact.email:
                report.without_email += 1
                continue
            if contact.pk in live:
                report.already += 1
                continue
            invitation = QuestionnaireInvitation.objects.create(
                questionnaire=questionnaire,
                stakeholder=contact.stakeholder,
                contact=contact,
                email=contact.email,
                language=contact_language(contact, language),
                token_hash=_unguessable_placeholder(),
                expires_at=now + timedelta(days=questionnaire.link_days),
                created_by=actor,
                created_at=now,
            )
            report.invited.append(invitation)
        ids = [invitation.pk for invitation in report.invited]
        transaction.on_commit(lambda: [enqueue_email(send_questionnaire_link, pk, Kind.FIRST, "") for pk in ids])
    return report


def _invitation_for_update(invitation: QuestionnaireInvitation, actor: Any) -> QuestionnaireInvitation:
    locked = (
        QuestionnaireInvitation.objects.select_for_update()
        .select_related("questionnaire__programme")
        .get(pk=invitation.pk)
    )
    _check(actor, locked.questionnaire)
    return locked


def invitation_revoke(*, invitation: QuestionnaireInvitation, actor: Any) -> QuestionnaireInvitation:
    """The link stops working at once; answers given so far stay. Revoking twice changes nothing."""
    with transaction.atomic():
        invitation = _invitation_for_update(invitation, actor)
        if invitation.revoked_at is None:
            invitation.revoked_at = timezone.now()
            invitation.save(update_fields=["revoked_at"])
    return invitation


def invitation_resend(*, invitation: QuestionnaireInvitation, actor: Any) -> QuestionnaireInvitation:
    """Email a fresh link (the old one stops working) valid for the questionnaire's link_days from now."""
    with transaction.atomic():
        invitation = _invitation_for_update(invitation, actor)
        if invitation.revoked_at is not None:
            raise EventsError(_("This link was revoked; send a new one instead."), code="revoked", status=409)
        if not invitation.questionnaire.accepts_answers():
            raise EventsError(_("The questionnaire takes no more answers."), code="closed", status=409)
        occasion = timezone.now().isoformat()
        pk = invitation.pk
        transaction.on_commit(lambda: enqueue_email(send_questionnaire_link, pk, Kind.RESEND, occasion))
    return invitation


def reminders_due(now: datetime | None = None) -> list[tuple[int, int]]:
    """(invitation id, reminder number) of every reminder now due and not yet sent."""
    now = now or timezone.now()
    due = []
    invitations = (
        QuestionnaireInvitation.objects.filter(
            questionnaire__status=Questionnaire.Status.OPEN,
            revoked_at__isnull=True,
            sent_at__isnull=False,
            expires_at__gt=now,
        )
        .exclude(response__submitted_at__isnull=False)
        .select_related("questionnaire")
    )
    for invitation in invitations:
        if not invitation.questionnaire.accepts_answers(now):
            continue
        days = sorted({int(d) for d in invitation.questionnaire.reminder_days if str(d).isdigit() and int(d) > 0})
        # Reminders are counted from the first email; a resend does not start them again.
        start = invitation.created_at
        number = sum(1 for d in days if start + timedelta(days=d) <= now)
        if number > invitation.reminders_sent:
            due.append((invitation.pk, number))
    return due


def questionnaire_reminders_send() -> int:
    """Scheduled (hourly): send each due reminder once. One missed while the cluster was down is sent
    late, and several missed make one email, not a burst. Safe to run twice."""
    sent = 0
    now = timezone.now()
    for pk, number in reminders_due(now):
        with transaction.atomic():
            updated = (
                QuestionnaireInvitation.objects.filter(pk=pk, reminders_sent__lt=number)
                .select_for_update()
                .update(reminders_sent=number, last_reminded_at=now)
            )
            if updated:
                sent += 1
                transaction.on_commit(
                    lambda pk=pk, number=number: enqueue_email(send_questionnaire_link, pk, Kind.REMINDER, str(number))
                )
    return sent


def send_questionnaire_link(invitation_id: int, kind: str, occasion: str = "", attempt: int = 1) -> bool:
    """Email an invitation's link (first, resend or reminder), making its fresh secret. Safe to run twice:
    the email ledger's key sends each occasion once, and the secret changes only when it sends."""
    invitation = (
        QuestionnaireInvitation.objects.select_related("questionnaire__programme", "contact", "stakeholder")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.email or invitation.revoked_at is not None:
        return False
    questionnaire = invitation.questionnaire
    now = timezone.now()
    if not questionnaire.accepts_answers(now):
        return False
    if kind == Kind.REMINDER:
        submitted = QuestionnaireResponse.objects.filter(invitation=invitation, submitted_at__isnull=False).exists()
        if submitted or invitation.sent_at is None or now >= invitation.expires_at:
            return False

    def build() -> EmailMultiAlternatives:
        token = secrets.token_urlsafe(32)
        changes: dict[str, Any] = {"token_hash": token_hash(token)}
        if kind != Kind.REMINDER:
            changes.update(sent_at=now, expires_at=now + timedelta(days=questionnaire.link_days))
        QuestionnaireInvitation.objects.filter(pk=invitation.pk).update(**changes)
        expires_at = changes.get("expires_at", invitation.expires_at)
        language = invitation.language if invitation.language in QUESTIONNAIRE_LANGUAGES else "en"
        context = {
            "kind": kind,
            "contact_name": invitation.contact.name if invitation.contact else "",
            "stakeholder": invitation.stakeholder.name,
            "programme": questionnaire.programme.name,
            "title": pick_text(questionnaire.title, language),
            "intro": pick_text(questionnaire.intro, language),
            "link": link_url(token),
            "expires_on": expires_at.date(),
            "event": {"title": pick_text(questionnaire.title, language)},  # the email layout's heading
            "site_url": settings.SITE_URL,
        }
        with translation.override(language):
            subject = " ".join(render_to_string("emails/questionnaire_link_subject.txt", context).split())
            text = render_to_string("emails/questionnaire_link.txt", context)
            html = render_to_string("emails/questionnaire_link.html", context)
        message = EmailMultiAlternatives(subject=subject, body=text, to=[invitation.email])
        message.attach_alternative(html, "text/html")
        message.extra_headers["Auto-Submitted"] = "auto-generated"
        return message

    # A failed send records nothing and leaves the secret unchanged; it is tried again a little later
    # (events.tasks.send_or_retry), and after the last attempt the organiser's resend button sends again.
    return send_or_retry(
        send_questionnaire_link,
        (invitation_id, kind, occasion),
        attempt=attempt,
        key=f"questionnaire-link:{invitation_id}:{kind}:{occasion}",
        recipient=invitation.email,
        build=build,
    )


def invitations_of_person(user: Any):
    """The invitations sent to this person: as a contact linked to their account, or to their address."""
    who = Q(contact__user=user)
    if user.email:
        who |= Q(email__iexact=user.email)
    return QuestionnaireInvitation.objects.filter(who)


def invitations_forget(*, user: Any) -> int:
    """Erasure: the person's links stop working and lose their address; the organisation's answers stay."""
    now = timezone.now()
    with transaction.atomic():
        return invitations_of_person(user).update(
            email="", contact=None, revoked_at=Coalesce(F("revoked_at"), Value(now))
        )


# --- Tracking (reads) ----------------------------------------------------------------------------

STATUSES = ("queued", "sent", "opened", "in_progress", "submitted", "expired", "revoked")


def invitation_status(invitation: QuestionnaireInvitation, now: datetime | None = None) -> str:
    now = now or timezone.now()
    response = getattr(invitation, "tracked_response", None)
    if invitation.revoked_at is not None:
        return "revoked"
    if response is not None and response.submitted_at is not None:
        return "submitted"
    if invitation.sent_at is None:
        return "queued"
    if now >= invitation.expires_at:
        return "expired"
    if response is not None and response.answers:
        return "in_progress"
    if invitation.opened_at is not None:
        return "opened"
    return "sent"


def tracking_rows(*, questionnaire: Questionnaire, now: datetime | None = None) -> tuple[list[dict], dict[str, int]]:
    """Every invitation of the questionnaire with its status, and the count of each status."""
    now = now or timezone.now()
    invitations = questionnaire.invitations.select_related("stakeholder", "contact", "response").order_by(
        "stakeholder__name", "email", "id"
    )
    rows, counts = [], dict.fromkeys(STATUSES, 0)
    for invitation in invitations:
        invitation.tracked_response = _response_of(invitation)
        status = invitation_status(invitation, now)
        counts[status] += 1
        rows.append({"invitation": invitation, "status": status, "response": invitation.tracked_response})
    return rows, counts


def _response_of(invitation: QuestionnaireInvitation) -> QuestionnaireResponse | None:
    try:
        return invitation.response
    except QuestionnaireResponse.DoesNotExist:
        return None
