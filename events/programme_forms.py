"""Forms of the minutes page: assigning a rapporteur, writing the minutes, recording an action item."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from events.models import ActionItem, Organisation, User
from events.text import validate_free_text, validate_plain_text

MAX_NOTES, MAX_DECISIONS = 50_000, 20_000


def _text(label: Any, max_length: int, *, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        validators=[validate_free_text],
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class RapporteurForm(forms.Form):
    rapporteur = forms.ModelChoiceField(label=_("Rapporteur"), queryset=User.objects.none())

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rapporteur"].queryset = people
        self.fields["rapporteur"].label_from_instance = lambda u: u.get_full_name()


class MinutesForm(forms.Form):
    """The text in one language, and optional translations into each of the others."""

    language = forms.ChoiceField(label=_("Written in"), choices=settings.LANGUAGES)
    notes = _text(_("Notes"), MAX_NOTES)
    decisions = _text(_("Decisions"), MAX_DECISIONS)
    publish = forms.BooleanField(label=_("Published to the participants"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, name in settings.LANGUAGES:
            self.fields[f"notes_{code}"] = _text(_("Notes (%(language)s)") % {"language": _(name)}, MAX_NOTES)
            self.fields[f"decisions_{code}"] = _text(
                _("Decisions (%(language)s)") % {"language": _(name)}, MAX_DECISIONS
            )

    def translation_fields(self) -> list[tuple[str, str, Any, Any]]:
        """(code, name, notes field, decisions field) per language, for the template."""
        return [(c, _(n), self[f"notes_{c}"], self[f"decisions_{c}"]) for c, n in settings.LANGUAGES]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("publish") and not (data.get("notes", "").strip() or data.get("decisions", "").strip()):
            raise forms.ValidationError(_("Write the notes or decisions before publishing."))
        return data

    def fields_for_service(self) -> dict[str, Any]:
        data = self.cleaned_data
        language = data["language"]
        translations = {}
        for code, _name in settings.LANGUAGES:
            notes, decisions = data.get(f"notes_{code}", ""), data.get(f"decisions_{code}", "")
            if code != language and (notes.strip() or decisions.strip()):
                translations[code] = {"notes": notes, "decisions": decisions}
        return {
            "language": language,
            "notes": data["notes"],
            "decisions": data["decisions"],
            "translations": translations,
            "status": "published" if data["publish"] else "draft",
        }

    @staticmethod
    def initial_from(minutes: Any) -> dict[str, Any]:
        initial = {
            "language": minutes.language,
            "notes": minutes.notes,
            "decisions": minutes.decisions,
            "publish": minutes.status == "published",
        }
        for code, text in (minutes.translations or {}).items():
            initial[f"notes_{code}"] = text.get("notes", "")
            initial[f"decisions_{code}"] = text.get("decisions", "")
        return initial


class ActionItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, validators=[validate_plain_text])
    theme = forms.CharField(label=_("Theme"), max_length=100, required=False, validators=[validate_plain_text])
    lead_organisation = forms.ModelChoiceField(
        label=_("Lead organisation"), queryset=Organisation.objects.none(), required=False
    )
    due_date = forms.DateField(label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    visibility = forms.ChoiceField(label=_("Visibility"), choices=ActionItem.Visibility.choices)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s, label) for s, label in ActionItem.Status.choices if s in ("proposed", "agreed")],
    )

    def __init__(self, *args: Any, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_organisation"].queryset = partners

    def clean_due_date(self) -> Any:
        value = self.cleaned_data.get("due_date")
        if value is not None and not 2000 <= value.year <= 2100:
            raise forms.ValidationError(_("Use a date between 2000 and 2100."))
        return value
