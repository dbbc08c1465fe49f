"""The builder's forms: they turn the page's fields into the shapes events/questionnaires.py takes (a text
by language from four fields, one per language; options from "value | English | Arabic | Lithuanian |
Kurdish" lines; comma-separated days and condition values). The checks themselves are that module's.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from events import questionnaires as services
from events.models import Question, Questionnaire, Stakeholder
from events.questionnaire_models import QUESTIONNAIRE_LANGUAGES, pick_text
from events.questionnaire_templates import template_choices

LANGUAGE_NAMES = {"en": "English", "ar": "العربية", "lt": "Lietuvių", "ckb": "کوردی"}


def _add_texts(form: forms.Form, prefix: str, label: str, *, multiline: bool = False, max_length: int = 500) -> None:
    """Four fields, one per language, that `texts_of` reads back as {"en": …, "ar": …}."""
    for language in QUESTIONNAIRE_LANGUAGES:
        widget = forms.Textarea(attrs={"rows": 3}) if multiline else forms.TextInput()
        widget.attrs["lang"] = language
        widget.attrs["dir"] = "rtl" if language in ("ar", "ckb") else "ltr"
        form.fields[f"{prefix}_{language}"] = forms.CharField(
            label=f"{label} ({LANGUAGE_NAMES[language]})", required=False, max_length=max_length, widget=widget
        )


def texts_of(data: dict[str, Any], prefix: str) -> dict[str, str]:
    return {lang: data[f"{prefix}_{lang}"] for lang in QUESTIONNAIRE_LANGUAGES if data.get(f"{prefix}_{lang}")}


def texts_initial(prefix: str, texts: dict[str, str] | None) -> dict[str, str]:
    return {f"{prefix}_{lang}": (texts or {}).get(lang, "") for lang in QUESTIONNAIRE_LANGUAGES}


class NewForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _add_texts(self, "title", gettext_lazy("Title"), max_length=200)


class TemplateForm(forms.Form):
    template = forms.ChoiceField(label=gettext_lazy("Template"), choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = template_choices(get_language() or "en")


class SettingsForm(forms.Form):
    audience = forms.MultipleChoiceField(
        label=gettext_lazy("Written for (none ticked: any type)"),
        choices=Stakeholder.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    closes_at = forms.DateTimeField(
        label=gettext_lazy("Closes at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    link_days = forms.IntegerField(label=gettext_lazy("Links valid for (days)"), min_value=1, max_value=365)
    reminder_days = forms.CharField(
        label=gettext_lazy("Reminders after (days, comma-separated)"), required=False, max_length=60
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _add_texts(self, "title", gettext_lazy("Title"), max_length=200)
        _add_texts(self, "intro", gettext_lazy("Introduction"), multiline=True, max_length=4000)
        # A programme has no time zone of its own: the field is read in the site's, so it says which.
        self.fields["closes_at"].label = _("Closes at (%(zone)s)") % {"zone": timezone.get_current_timezone_name()}

    def clean_reminder_days(self) -> list[int]:
        parts = [p.strip() for p in self.cleaned_data["reminder_days"].split(",") if p.strip()]
        if not all(p.isdigit() and len(p) <= 3 for p in parts):
            raise forms.ValidationError(_("Whole numbers of days, such as 7, 14."))
        return [int(p) for p in parts]

    def fields_for_service(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": texts_of(data, "title"),
            "intro": texts_of(data, "intro"),
            "audience": data["audience"],
            "closes_at": data["closes_at"],
            "link_days": data["link_days"],
            "reminder_days": data["reminder_days"],
        }


class SectionForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _add_texts(self, "title", gettext_lazy("Section title"), max_length=200)
        _add_texts(self, "description", gettext_lazy("Description"), multiline=True, max_length=2000)

    def data_for_service(self) -> dict[str, Any]:
        return {
            "title": texts_of(self.cleaned_data, "title"),
            "description": texts_of(self.cleaned_data, "description"),
        }


class QuestionForm(forms.Form):
    key = forms.CharField(
        label=gettext_lazy("Key (lower-case letters, digits, - and _; answers are kept under it)"), max_length=60
    )
    kind = forms.ChoiceField(label=gettext_lazy("Type"), choices=Question.Kind.choices)
    required = forms.BooleanField(label=gettext_lazy("An answer is required"), required=False)
    options = forms.CharField(
        label=gettext_lazy("Options, one per line: value | English | Arabic | Lithuanian | Kurdish"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
    )
    number_min = forms.FloatField(label=gettext_lazy("Smallest number allowed"), required=False)
    number_max = forms.FloatField(label=gettext_lazy("Largest number allowed"), required=False)
    scale_low = forms.CharField(
        label=gettext_lazy("Scale: label of 1 (English | Arabic | Lithuanian | Kurdish)"),
        required=False,
        max_length=500,
    )
    scale_high = forms.CharField(
        label=gettext_lazy("Scale: label of 5 (English | Arabic | Lithuanian | Kurdish)"),
        required=False,
        max_length=500,
    )
    skill_purpose = forms.ChoiceField(
        label=gettext_lazy("Skills question asks for"),
        choices=[("", "—"), *Question.SkillPurpose.choices],
        required=False,
    )
    show_if = forms.ChoiceField(label=gettext_lazy("Show only when this earlier question…"), required=False)
    show_if_values = forms.CharField(
        label=gettext_lazy("…has one of these values (comma-separated)"), required=False, max_length=500
    )

    def __init__(self, *args: Any, earlier: list[Question] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _add_texts(self, "text", gettext_lazy("Question"), max_length=500)
        _add_texts(self, "help", gettext_lazy("Help text"), multiline=True, max_length=1000)
        self.earlier = {q.key: q for q in earlier or [] if q.kind in services.CONDITION_KINDS}
        language = get_language() or "en"
        self.fields["show_if"].choices = [("", "—")] + [
            (key, f"{key}: {pick_text(q.text, language)}") for key, q in self.earlier.items()
        ]

    @staticmethod
    def initial_for(question: Question) -> dict[str, Any]:
        line = " | ".join
        return {
            "key": question.key,
            "kind": question.kind,
            "required": question.required,
            "options": "\n".join(
                line([o["value"], *(o["label"].get(lang, "") for lang in QUESTIONNAIRE_LANGUAGES)]).rstrip(" |")
                for o in question.options
            ),
            "number_min": question.settings.get("min"),
            "number_max": question.settings.get("max"),
            "scale_low": line(
                question.settings.get("low", {}).get(lang, "") for lang in QUESTIONNAIRE_LANGUAGES
            ).rstrip(" |"),
            "scale_high": line(
                question.settings.get("high", {}).get(lang, "") for lang in QUESTIONNAIRE_LANGUAGES
            ).rstrip(" |"),
            "skill_purpose": question.skill_purpose,
            "show_if": question.show_if.key if question.show_if_id else "",
            "show_if_values": ", ".join(str(v) for v in question.show_if_values),
            **texts_initial("text", question.text),
            **texts_initial("help", question.help),
        }

    @staticmethod
    def _by_language(value: str) -> dict[str, str]:
        parts = [p.strip() for p in value.split("|")]
        return {lang: part for lang, part in zip(QUESTIONNAIRE_LANGUAGES, parts, strict=False) if part}

    def clean_options(self) -> list[dict[str, Any]]:
        options = []
        for line in self.cleaned_data["options"].splitlines():
            if not line.strip():
                continue
            value, _sep, labels = line.partition("|")
            if labels.count("|") > 3:
                raise forms.ValidationError(_("At most four labels per option, one per language."))
            options.append({"value": value.strip(), "label": self._by_language(labels) or {"en": value.strip()}})
        return options

    def data_for_service(self) -> dict[str, Any]:
        data = self.cleaned_data
        kind = data["kind"]
        settings: dict[str, Any] = {}
        if kind == Question.Kind.NUMBER:
            for bound in ("min", "max"):
                number = data[f"number_{bound}"]
                if number is not None:
                    settings[bound] = int(number) if number.is_integer() else number
        elif kind == Question.Kind.SCALE:
            for end in ("low", "high"):
                if data[f"scale_{end}"]:
                    settings[end] = self._by_language(data[f"scale_{end}"])
        values: list[Any] = [v.strip() for v in data["show_if_values"].split(",") if v.strip()]
        target = self.earlier.get(data["show_if"])
        if target is not None and target.kind == Question.Kind.SCALE:
            values = [int(v) if v.isdigit() else v for v in values]
        return {
            "key": data["key"].strip(),
            "kind": kind,
            "text": texts_of(data, "text"),
            "help": texts_of(data, "help"),
            "required": data["required"],
            "options": data["options"] if kind in services.CHOICE_KINDS else [],
            "settings": settings,
            "skill_purpose": data["skill_purpose"] if kind == Question.Kind.SKILLS else "",
            "show_if": data["show_if"],
            "show_if_values": values,
        }


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])

    @property
    def offset(self) -> int:
        return -1 if self.cleaned_data["direction"] == "up" else 1


class StatusForm(forms.Form):
    to = forms.ChoiceField(choices=[(Questionnaire.Status.OPEN, "open"), (Questionnaire.Status.CLOSED, "closed")])
