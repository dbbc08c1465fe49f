"""Forms of the official's dialogue pages. They check the shape of the input; matching/dialogue.py decides."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django import forms
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from matching.dialogue import Counterparts
from matching.models import DialogueTopic

PRIORITIES = [
    ("5", _("5 – essential")),
    ("4", _("4 – high")),
    ("3", _("3 – medium")),
    ("2", _("2 – low")),
    ("1", _("1 – if there is time")),
]


class WishForm(forms.Form):
    """Whom to meet (an institution or a listed person of the other delegation), on what, how much."""

    target = forms.ChoiceField(label=_("Whom do you want to meet?"))
    topics = forms.MultipleChoiceField(
        label=_("Topics"), required=False, widget=forms.CheckboxSelectMultiple, choices=[]
    )
    weight = forms.ChoiceField(label=_("Priority"), choices=PRIORITIES, initial="3")

    def __init__(self, *args: Any, counterparts: Counterparts, topics: list[DialogueTopic], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        institutions = [(f"org:{o.pk}", o.name) for o in counterparts.institutions]
        people = [(f"person:{u.pk}", f"{u.full_name or u.email} · {o.name}") for u, o in counterparts.people]
        choices: list[Any] = [("", "—")]
        if institutions:
            choices.append((_("Institutions"), institutions))
        if people:
            choices.append((_("People"), people))
        self.fields["target"].choices = choices
        language = get_language()
        self.fields["topics"].choices = [(str(t.pk), t.label(language)) for t in topics]

    def cleaned_target(self) -> tuple[int | None, int | None]:
        """(institution id, person id) the official chose."""
        kind, _sep, pk = self.cleaned_data["target"].partition(":")
        return (int(pk), None) if kind == "org" else (None, int(pk))

    def cleaned_topic_ids(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data["topics"]]

    def cleaned_weight(self) -> int:
        return int(self.cleaned_data["weight"])


def window_key(start: datetime) -> str:
    return start.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _window_label(start: datetime, end: datetime, tz: Any) -> str:
    day = formats.date_format(start.astimezone(tz), "SHORT_DATE_FORMAT")
    return f"{day} {formats.time_format(start.astimezone(tz))}–{formats.time_format(end.astimezone(tz))}"


class BusyForm(forms.Form):
    """The published bilateral times at which the official cannot meet."""

    busy = forms.MultipleChoiceField(
        label=_("Times I cannot meet"), required=False, widget=forms.CheckboxSelectMultiple, choices=[]
    )

    def __init__(self, *args: Any, windows: list[tuple[datetime, datetime]], tz: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.windows = {window_key(s): (s, e) for s, e in windows}
        self.fields["busy"].choices = [(window_key(s), _window_label(s, e, tz)) for s, e in windows]

    def cleaned_windows(self) -> list[tuple[datetime, datetime]]:
        return [self.windows[key] for key in self.cleaned_data["busy"]]
