"""The page of one action item: what it is, its history, and the form that moves it on.

`/programmes/actions/<id>/`. Whoever may see the item (events/programme_selectors.action_visible)
reads it; everyone else gets a 404, as if there were no such item. Organisers, the programme's
rapporteurs and granted members of the lead organisation also get a small form: the next statuses
the one transition table allows (events/actions.TRANSITIONS), a comment, and the reason when
dropping. The POST goes through events/actions.action_note, the only writer; what it refuses
(an illegal transition, a drop without a reason, an empty note) is shown on the form and nothing
is saved. A POST from someone who sees the item but may not change it is a 403.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events import actions
from events import programme_selectors as sel
from events.exceptions import EventsError
from events.models import ActionItem
from events.text import validate_free_text

STATUS_LABELS = dict(ActionItem.Status.choices)


class _StatusField(forms.ChoiceField):
    """Shows the next statuses only, but accepts any status: whether it may follow the current one is
    for events/actions.py to say, so that there is one rule and one message."""

    def valid_value(self, value: Any) -> bool:
        return value in STATUS_LABELS


class ActionProgressForm(forms.Form):
    """A new status (optional), a progress note, and the reason when dropping."""

    status = _StatusField(label=gettext_lazy("New status"), required=False)
    comment = forms.CharField(
        label=gettext_lazy("Progress note"),
        required=False,
        max_length=5_000,
        validators=[validate_free_text],
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    dropped_reason = forms.CharField(
        label=gettext_lazy("Why is it dropped?"), required=False, max_length=1_000, validators=[validate_free_text]
    )

    def __init__(self, *args: Any, item: ActionItem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = actions.TRANSITIONS.get(item.status, frozenset())
        shown = [s for s, _label in ActionItem.Status.choices if s in allowed]
        self.fields["status"].choices = [("", _("Keep: %(status)s") % {"status": STATUS_LABELS[item.status]})] + [
            (s, STATUS_LABELS[s]) for s in shown
        ]
        self.offers_drop = ActionItem.Status.DROPPED in allowed


def _may_change(user: Any, item: ActionItem) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return sel.may_edit_actions(user=user, programme=item.programme) or sel.is_lead(user=user, item=item)


def action_page(request: HttpRequest, pk: int) -> HttpResponse:
    item = sel.action_visible(user=request.user, pk=pk)
    if item is None:
        raise Http404(_("No such action item."))
    may_change = _may_change(request.user, item)
    form = ActionProgressForm(item=item) if may_change else None

    if request.method == "POST":
        if not may_change:
            return HttpResponseForbidden(_("Only organisers, rapporteurs and the lead organisation can change this."))
        form = ActionProgressForm(request.POST, item=item)
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.action_note(
                    item_id=item.pk,
                    actor=request.user,
                    comment=data["comment"],
                    status=data["status"] or None,
                    dropped_reason=data["dropped_reason"] if data["status"] == ActionItem.Status.DROPPED else "",
                )
            except EventsError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Action item updated."))
                return redirect(request.path)

    history = [
        {
            "entry": entry,
            "status_labels": [STATUS_LABELS.get(s, s) if s else "" for s in entry.changes.get("status") or []],
        }
        for entry in sel.action_updates(item=item)
    ]
    payload = sel.action_payload(item)
    return render(
        request,
        "programmes/action.html",
        {
            "item": payload,
            "programme": item.programme,
            "status_label": STATUS_LABELS[item.status],
            "history": history,
            "form": form,
        },
    )
