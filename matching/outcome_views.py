"""Pages of "what the fair led to": the employer's outcomes (organisers see all) and the candidate's own.

Both pages only parse input and call matching/outcomes.py; a refusal is shown on the form with the
service's status (409 for a stage that cannot follow, 422 for bad input), and nothing is saved.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.exceptions import EventsError
from events.models import Event, Organisation, User
from events.selectors import event_get_visible, is_organiser
from matching import outcomes, selectors
from matching.forms import validate_free_text
from matching.models import Lead, Meeting, MeetingRequest
from matching.outcome_models import Outcome, OutcomeChange


def _event(request: HttpRequest, slug: str) -> Event:
    event = event_get_visible(user=request.user, slug=slug)
    if event is None or event.kind != Event.Kind.JOB_FAIR:
        raise Http404
    return event


class OutcomeForm(forms.Form):
    candidate = forms.TypedChoiceField(label=gettext_lazy("Candidate"), coerce=int)
    stage = forms.ChoiceField(label=gettext_lazy("What happened"), choices=Outcome.Stage.choices)
    offer_kind = forms.ChoiceField(
        label=gettext_lazy("Offer"), choices=[("", "—"), *Outcome.OfferKind.choices], required=False
    )
    offer_country = forms.CharField(
        label=gettext_lazy("Country of the work"),
        max_length=2,
        min_length=2,
        required=False,
        help_text=gettext_lazy("Two letters, e.g. LT or IQ. For an offer."),
    )
    work_mode = forms.ChoiceField(
        label=gettext_lazy("Remote or on site"), choices=[("", "—"), *Outcome.WorkMode.choices], required=False
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=outcomes.NOTE_MAX,
        required=False,
        widget=forms.Textarea({"rows": 2}),
        validators=[validate_free_text],
    )

    def __init__(self, *args: Any, candidates: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["candidate"].choices = [("", "—"), *candidates]


class AnswerForm(forms.Form):
    outcome = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    stage = forms.ChoiceField(choices=Outcome.Stage.choices)
    happened = forms.ChoiceField(choices=[("yes", "yes"), ("no", "no")])
    note = forms.CharField(max_length=outcomes.NOTE_MAX, required=False, validators=[validate_free_text])


def _candidates_for(*, event: Event, organisation: Organisation) -> list[tuple[int, str]]:
    """Whom an employer may record an outcome for: people who share their profile at the fair, and
    people it met there (a lead, a meeting, a request) who still do."""
    pair = {"event": event, "organisation": organisation}
    met = (
        set(Lead.objects.filter(**pair).values_list("candidate_id", flat=True))
        | set(Meeting.objects.filter(**pair).values_list("candidate_id", flat=True))
        | set(MeetingRequest.objects.filter(**pair).values_list("candidate_id", flat=True))
    )
    visible = selectors.consenting_candidate_ids(event=event)
    people = User.objects.filter(pk__in=visible, is_active=True).values_list("pk", "full_name", "email")
    # The people it met first, then everybody else who shares their profile.
    return [
        (pk, label)
        for _met, _key, pk, label in sorted(
            (pk not in met, (name or email).casefold(), pk, name or email) for pk, name, email in people
        )
    ]


def _with_history(rows: list[Outcome]) -> list[Outcome]:
    changes: dict[int, list[OutcomeChange]] = {}
    labels = dict(Outcome.Stage.choices)
    for change in OutcomeChange.objects.filter(outcome__in=rows).select_related("actor"):
        change.from_label = labels.get(change.from_stage, "")  # type: ignore[attr-defined]
        change.to_label = labels.get(change.to_stage, change.to_stage)  # type: ignore[attr-defined]
        changes.setdefault(change.outcome_id, []).append(change)
    for row in rows:
        row.history = changes.get(row.pk, [])  # type: ignore[attr-defined]
    return rows


def outcomes_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The employer's outcomes at a fair, with the form that records the next stage; organisers read all."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    event = _event(request, slug)
    standing = selectors.employer_standing_at(user=request.user, event=event)
    organiser = is_organiser(request.user)
    if standing.waiting and not organiser:
        context = {"event": event, "organisation": standing.organisation, "status": standing.membership}
        return render(request, "events/memberships_waiting.html", context, status=403)
    if not standing.granted and not organiser:
        if Outcome.objects.filter(event=event, candidate_id=request.user.pk).exists():
            return redirect("matching:my_outcomes", slug=event.slug)
        raise Http404
    organisation = standing.organisation if standing.granted else None
    form = None
    status = 200
    if organisation is not None:
        candidates = _candidates_for(event=event, organisation=organisation)
        initial = {"candidate": request.GET.get("candidate", ""), "stage": request.GET.get("stage", "")}
        form = OutcomeForm(request.POST or None, initial=initial, candidates=candidates)
        if request.method == "POST":
            if form.is_valid():
                data = form.cleaned_data
                try:
                    outcomes.outcome_record(
                        event=event,
                        actor=request.user,
                        candidate_id=data["candidate"],
                        stage=data["stage"],
                        offer_kind=data["offer_kind"],
                        offer_country=data["offer_country"],
                        work_mode=data["work_mode"],
                        note=data["note"],
                    )
                except EventsError as e:
                    form.add_error(None, e.message)
                    status = e.status
                else:
                    messages.success(request, _("Outcome saved."))
                    return redirect("matching:outcomes", slug=event.slug)
            else:
                status = 422
    elif request.method == "POST":
        raise Http404  # organisers read; the employer records
    rows = _with_history(list(outcomes.outcomes_visible(user=request.user, event=event)))
    if organisation is not None:
        # A candidate who withdrew consent keeps the employer's record but loses their name there, as in leads.
        visible = selectors.candidates_visible_to_employers(event=event, user_ids={r.candidate_id for r in rows})
        for row in rows:
            row.hidden = row.candidate_id not in visible  # type: ignore[attr-defined]
    context = {"event": event, "organisation": organisation, "form": form, "rows": rows, "organiser": organiser}
    return render(request, "outcomes/employer.html", context, status=status)


def my_outcomes_page(request: HttpRequest, slug: str) -> HttpResponse:
    """A candidate's own outcomes at a fair: "Did this happen?" — confirm, or not correct."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    event = _event(request, slug)
    status = 200
    error = ""
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                outcomes.outcome_answer(
                    outcome_id=data["outcome"],
                    actor=request.user,
                    stage=data["stage"],
                    happened=data["happened"] == "yes",
                    note=data["note"],
                )
            except EventsError as e:
                error, status = e.message, e.status
            else:
                messages.success(request, _("Thank you, your answer is saved."))
                return redirect("matching:my_outcomes", slug=event.slug)
        else:
            error, status = _("Choose an answer for an outcome on this page."), 422
    rows = list(outcomes.outcomes_of_candidate(user=request.user).filter(event=event))
    return render(request, "outcomes/candidate.html", {"event": event, "rows": rows, "error": error}, status=status)
