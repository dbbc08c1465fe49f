"""Forms of the matching pages. They validate input only; the services decide what it means."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from events.text import validate_free_text, validate_plain_text
from matching.models import CV_MAX_BYTES, IRAQI_CITIES, LANGUAGES, LEVELS, CandidateProfile, Skill

LEVEL_CHOICES = [("", "—"), *[(str(v), label) for v, label in LEVELS]]


class ProfileForm(forms.Form):
    headline = forms.CharField(label=_("Headline"), max_length=140, required=False, validators=[validate_plain_text])
    education = forms.ChoiceField(
        label=_("Education"), choices=[("", "—"), *CandidateProfile.Education.choices], required=False
    )
    field_of_study = forms.CharField(
        label=_("Field of study"), max_length=120, required=False, validators=[validate_plain_text]
    )
    years_experience = forms.IntegerField(
        label=_("Years of experience"),
        min_value=0,
        max_value=60,
        initial=0,
        widget=forms.NumberInput({"inputmode": "numeric"}),
    )
    seeking = forms.ChoiceField(
        label=_("I am looking for"), choices=CandidateProfile.Seeking.choices, widget=forms.RadioSelect
    )
    cities = forms.MultipleChoiceField(
        label=_("Cities in Iraq where I can work"),
        choices=IRAQI_CITIES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    relocate_lithuania = forms.BooleanField(label=_("I am ready to relocate to Lithuania"), required=False)
    remote = forms.BooleanField(label=_("I am open to remote work"), required=False)
    available_from = forms.DateField(
        label=_("Available from"),
        required=False,
        # An <input type="date"> takes ISO dates whatever the language; the phone shows them its own way.
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "dir": "ltr"}),
    )
    cv = forms.FileField(
        label=_("CV (PDF, at most 2 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    consent = forms.BooleanField(
        label=_("Show my profile to employers at this event"),
        required=False,
        help_text=_("Without this, no employer sees you on their board, and nobody can scan your badge into a list."),
    )

    def __init__(self, *args: Any, skills: list[Skill], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.skills = skills
        for skill in skills:
            self.fields[f"skill_{skill.pk}"] = forms.TypedChoiceField(
                label=skill.label, choices=LEVEL_CHOICES, required=False, coerce=int, empty_value=None
            )
        for code, label in LANGUAGES:
            self.fields[f"lang_{code}"] = forms.TypedChoiceField(
                label=label, choices=LEVEL_CHOICES, required=False, coerce=int, empty_value=None
            )

    def clean_cv(self) -> Any:
        cv = self.cleaned_data.get("cv")
        if cv and getattr(cv, "size", 0) > CV_MAX_BYTES:
            raise forms.ValidationError(_("The CV must be at most 2 MB."))
        return cv

    def skill_groups(self) -> list[tuple[str, list[Any]]]:
        """Bound skill fields by taxonomy group, for collapsible sections on a phone."""
        labels = dict(Skill.Group.choices)
        groups: dict[str, list[Any]] = {}
        for skill in self.skills:
            groups.setdefault(skill.group, []).append(self[f"skill_{skill.pk}"])
        return [(str(labels.get(g, g)), fields) for g, fields in groups.items()]

    def language_fields(self) -> list[Any]:
        return [self[f"lang_{code}"] for code, _label in LANGUAGES]

    def skill_levels(self) -> list[tuple[int, int]]:
        return [
            (s.pk, self.cleaned_data[f"skill_{s.pk}"]) for s in self.skills if self.cleaned_data.get(f"skill_{s.pk}")
        ]

    def language_levels(self) -> list[tuple[str, int]]:
        return [
            (code, self.cleaned_data[f"lang_{code}"]) for code, _l in LANGUAGES if self.cleaned_data.get(f"lang_{code}")
        ]


class LeadForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        choices=[("", "—"), *[(str(i), "★" * i) for i in range(1, 6)]],
        required=False,
        coerce=int,
        empty_value=None,
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=2000,
        required=False,
        widget=forms.Textarea({"rows": 3}),
        validators=[validate_free_text],
    )


class BadgeForm(forms.Form):
    payload = forms.CharField(
        label=_("Badge code"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "ltr", "autofocus": True}),
    )
