"""Forms attendees fill in. They validate input only; the services decide what it means."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from events.consents import CONSENT_TEXTS
from events.models import Consent, Registration
from events.text import validate_plain_text

# People may register themselves only as candidates or employers; officials, speakers and staff
# are invited or added by organisers.
SELF_REGISTRATION_ROLES = [
    (Registration.Role.CANDIDATE.value, Registration.Role.CANDIDATE.label),
    (Registration.Role.EMPLOYER.value, Registration.Role.EMPLOYER.label),
]


def _language_choices() -> list[tuple[str, str]]:
    from django.utils.translation import get_language_info

    # Each language in its own name, so a person finds theirs whatever the page's language.
    return [(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]


def current_language_code() -> str:
    """The page's language if the platform offers it, else the default (used as the form's initial value)."""
    code = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    offered = {c for c, _name in settings.LANGUAGES}
    return code if code in offered else settings.LANGUAGE_CODE


class RegistrationForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        validators=[validate_plain_text],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("We send your personal link to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr", "inputmode": "email"}),
    )
    role = forms.ChoiceField(
        label=_("I am attending as"),
        choices=SELF_REGISTRATION_ROLES,
        initial=Registration.Role.CANDIDATE.value,
        widget=forms.RadioSelect,
    )
    organisation_name = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        validators=[validate_plain_text],
        help_text=_("Optional. Your employer, university or training provider."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    language = forms.ChoiceField(
        label=_("Preferred language for emails"),
        choices=_language_choices,
    )
    # Never required, never shown with the person's name: the programme reports only counts (issue 14).
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=[("", _("Not given")), *Registration.Gender.choices],
        required=False,
        help_text=_("Optional. Counted only in the programme's totals, never shown with your name."),
    )
    city = forms.CharField(
        label=_("City where you live"),
        max_length=100,
        required=False,
        validators=[validate_plain_text],
        help_text=_("Optional. Counted only in the programme's totals, never shown with your name."),
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    # Consent is explicit: both boxes start unticked and nothing depends on ticking them. The labels
    # are the exact versioned texts of events.consents, so the version recorded is the text shown.
    consent_share_profile = forms.BooleanField(
        label=CONSENT_TEXTS[Consent.Purpose.SHARE_PROFILE].text,
        required=False,
        initial=False,
    )
    consent_attendee_list = forms.BooleanField(
        label=CONSENT_TEXTS[Consent.Purpose.ATTENDEE_LIST].text,
        required=False,
        initial=False,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["language"].initial = current_language_code()

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Please enter your name."), code="required")
        return name

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_organisation_name(self) -> str:
        return " ".join(self.cleaned_data.get("organisation_name", "").split())

    def clean_city(self) -> str:
        return " ".join(self.cleaned_data.get("city", "").split())


class InvitationResponseForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])
