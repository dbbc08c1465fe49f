"""Forms behind the admin's own pages: invite people, import a CSV, and the email-based user forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.forms import UserChangeForm as BaseUserChangeForm
from django.utils.translation import gettext_lazy as _

from events import sessions
from events.imports import COLUMNS, is_country_code
from events.invitations import INVITABLE_ROLES, Invitee, parse_invitees
from events.models import Event, Organisation, Registration, User

# A CSV of 20,000 people is about 2 MB; anything far larger is a mistake (or not a CSV).
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class EmailUserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("A person with this email address already exists."), code="unique")
        return email


class EmailUserChangeForm(BaseUserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("A person with this email address already exists."), code="unique")
        return email


class InviteForm(forms.Form):
    people = forms.CharField(
        label=_("People"),
        widget=forms.Textarea(attrs={"rows": 10, "cols": 70, "dir": "auto"}),
        help_text=_("One person a line: “Name <email>”, “Name, email” or just the email address."),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=[(role.value, role.label) for role in INVITABLE_ROLES], initial="official"
    )
    delegation = forms.CharField(
        label=_("Delegation"), required=False, max_length=2, help_text=_("Country code, e.g. LT or IQ.")
    )
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.all(), required=False)
    language = forms.ChoiceField(
        label=_("Language of the invitation"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE
    )

    def clean_delegation(self) -> str:
        code = self.cleaned_data["delegation"].strip().upper()
        if code and not is_country_code(code):
            raise forms.ValidationError(_("Not a two-letter ISO country code."), code="invalid_country")
        return code

    def clean_people(self) -> list[Invitee]:
        invitees, errors = parse_invitees(self.cleaned_data["people"])
        if errors:
            raise forms.ValidationError(errors)
        if not invitees:
            raise forms.ValidationError(_("Add at least one email address."), code="required")
        return invitees


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, comma or semicolon separated, with a header row. Columns: %(columns)s.")
        % {"columns": ", ".join(COLUMNS)},
    )
    dry_run = forms.BooleanField(
        label=_("Dry run"), required=False, initial=True, help_text=_("Check the file and show the outcome only.")
    )

    def __init__(self, *args: Any, event: Event | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if event is None:
            # From the registrations list: the organiser picks the event.
            self.fields["event"] = forms.ModelChoiceField(label=_("Event"), queryset=Event.objects.all())
            self.order_fields(["event", "file", "dry_run"])

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}, code="too_large"
            )
        return upload.read()


class RegistrationAdminForm(forms.ModelForm):
    class Meta:
        model = Registration
        fields = ("role", "status", "organisation", "delegation", "language")
        widgets = {"language": forms.Select(choices=settings.LANGUAGES)}

    def clean_delegation(self) -> str:
        code = (self.cleaned_data.get("delegation") or "").strip().upper()
        if code and not is_country_code(code):
            raise forms.ValidationError(_("Not a two-letter ISO country code."), code="invalid_country")
        return code


class SessionAdminForm(forms.ModelForm):
    """A session on its admin page or in its event's agenda: the status moves only as events.sessions allows.

    No Meta: the admin builds the form for its model and fields (the page: all; the agenda: its columns).
    """

    def clean_status(self) -> str:
        status = self.cleaned_data["status"]
        if self.instance.pk is not None and status != self.instance.status:
            refusal = sessions.transition_refusal(current=self.instance.status, new=status)
            if refusal is not None:
                raise forms.ValidationError(refusal, code="invalid_transition")
        return status
