"""The minutes page of a session or bilateral meeting: read, write, and record action items from it.

`/programmes/minutes/session/<id>/` and `/programmes/minutes/meeting/<id>/`. Organisers assign the
rapporteur; the rapporteur and organisers write and publish the minutes and record action items
that came out of the session; participants read the published minutes in their language (the
writer's translation when there is one). Anyone else gets a 404, as if there were no minutes.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from events import actions, minutes
from events import programme_selectors as sel
from events.exceptions import EventsError
from events.models import ActionItem, Event, Minutes, Organisation, Registration, Session, User
from events.programme_forms import ActionItemForm, MinutesForm, RapporteurForm
from events.selectors import is_organiser


def _target(kind: str, pk: int) -> tuple[dict[str, Any], Event, str, bool, Any]:
    """(the minutes' target, its event, a title, whether the user is a participant (callable), the object)."""
    if kind == "session":
        session = Session.objects.select_related("event").filter(pk=pk).first()
        if session is None:
            raise Http404(_("No such session."))
        return {"session": session}, session.event, session.title, sel.session_participant, session
    meeting = sel.bilateral_meeting(pk=pk)
    if meeting is None:
        raise Http404(_("No such bilateral meeting."))
    meeting = sel.meeting_model().objects.select_related("event", "organisation", "candidate").get(pk=meeting.pk)
    title = _("Bilateral meeting: %(a)s and %(b)s") % {
        "a": meeting.candidate.get_full_name(),
        "b": meeting.organisation.name,
    }
    return {"meeting": meeting}, meeting.event, title, sel.meeting_participant, meeting


def _people(event: Event, target: dict[str, Any]) -> Any:
    """Whom an organiser may name rapporteur: people seated at the event (and the meeting's official)."""
    condition = Q(registrations__event=event, registrations__status=Registration.Status.REGISTERED)
    if "meeting" in target:
        condition |= Q(pk=target["meeting"].candidate_id)
    return User.objects.filter(condition, is_active=True).distinct().order_by("full_name", "email")


def _shown_text(found: Minutes) -> tuple[str, str, str]:
    """(notes, decisions, language) in the reader's language when the writer translated them."""
    language = (get_language() or "en").split("-")[0]
    translated = (found.translations or {}).get(language)
    if language != found.language and translated:
        return translated.get("notes", ""), translated.get("decisions", ""), language
    return found.notes, found.decisions, found.language


def minutes_page(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    target, event, title, participant_of, obj = _target(kind, pk)
    found = Minutes.objects.select_related("rapporteur").filter(**target).first()
    organiser = is_organiser(request.user)
    writer = organiser or (found is not None and found.rapporteur_id == request.user.pk)
    participant = participant_of(user=request.user, **{kind: obj})
    if not writer and (
        found is None or not sel.minutes_readable(user=request.user, minutes=found, participant=participant)
    ):
        raise Http404(_("No minutes here yet."))
    programme = event.programme
    partners = Organisation.objects.filter(programme_partnerships__programme=programme) if programme else None

    rapporteur_form = RapporteurForm(
        initial={"rapporteur": found.rapporteur_id if found else None}, people=_people(event, target)
    )
    minutes_form = MinutesForm(initial=MinutesForm.initial_from(found) if found else {"language": get_language()})
    action_form = ActionItemForm(partners=partners) if partners is not None else None

    if request.method == "POST":
        step = request.POST.get("step")
        try:
            if step == "rapporteur" and organiser:
                rapporteur_form = RapporteurForm(request.POST, people=_people(event, target))
                if rapporteur_form.is_valid():
                    minutes.minutes_save(actor=request.user, fields=dict(rapporteur_form.cleaned_data), **target)
                    messages.success(request, _("Rapporteur assigned."))
                    return redirect(request.path)
            elif step == "minutes" and writer and found is not None:
                minutes_form = MinutesForm(request.POST)
                if minutes_form.is_valid():
                    minutes.minutes_save(actor=request.user, fields=minutes_form.fields_for_service(), **target)
                    messages.success(request, _("Minutes saved."))
                    return redirect(request.path)
            elif step == "action" and writer and programme is not None:
                action_form = ActionItemForm(request.POST, partners=partners)
                if action_form.is_valid():
                    fields = dict(action_form.cleaned_data)
                    lead = fields["lead_organisation"]
                    fields["lead_country"] = lead.country if lead else ""
                    fields[f"source_{kind}"] = obj
                    actions.action_create(programme=programme, actor=request.user, fields=fields)
                    messages.success(request, _("Action item recorded."))
                    return redirect(request.path)
            else:
                return HttpResponse(status=400)
        except EventsError as error:
            messages.error(request, error.message)

    source = {f"source_{kind}": obj}
    items = (
        sel.actions_visible(user=request.user, programme=programme).filter(**source)
        if programme
        else ActionItem.objects.none()
    )
    notes, decisions, shown_language = _shown_text(found) if found else ("", "", "")
    return render(
        request,
        "programmes/minutes.html",
        {
            "title": title,
            "event": event,
            "programme": programme,
            "minutes": found,
            "organiser": organiser,
            "writer": writer,
            "notes": notes,
            "decisions": decisions,
            "shown_language": shown_language,
            "rapporteur_form": rapporteur_form,
            "minutes_form": minutes_form,
            "action_form": action_form,
            "items": [sel.action_payload(i) for i in items.order_by("due_date", "id")],
            "status_labels": dict(ActionItem.Status.choices),
        },
    )
