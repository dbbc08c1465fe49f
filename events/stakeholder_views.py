"""Stakeholder pages: the directory, one stakeholder's timeline, coverage, CSV import and export.

Organisers and programme staff only (events/stakeholder_selectors.may_see_stakeholders); anyone else
signed in gets a 404, as if the programme had no directory, and a visitor is sent to sign in. Views
parse and validate input with forms, call one service or selector, and render.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.validators import MaxLengthValidator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events import stakeholder_selectors as sel
from events import stakeholders as services
from events.exceptions import EventsError
from events.models import FollowUp, Interaction, Programme, Stakeholder, StakeholderContact, User
from events.programme_selectors import programme_get
from events.stakeholder_csv import stakeholders_csv
from events.text import validate_free_text, validate_plain_text

MAX_UPLOAD = 2 * 1024 * 1024


def _everyone(label: str) -> list[tuple[str, str]]:
    return [("", label)]


class DirectoryFilterForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Type"), required=False)
    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False)
    city = forms.ChoiceField(label=gettext_lazy("City"), required=False)
    last_contact = forms.ChoiceField(label=gettext_lazy("Last contact"), required=False)
    open_follow_ups = forms.BooleanField(label=gettext_lazy("Open follow-ups only"), required=False)

    def __init__(self, data: Any, *, countries: list[str], cities: list[str]) -> None:
        super().__init__(data)
        everything = _everyone(_("All"))
        self.fields["kind"].choices = everything + list(Stakeholder.Kind.choices)
        self.fields["country"].choices = everything + [(c, c) for c in countries]
        self.fields["city"].choices = everything + [(c, c) for c in cities]
        self.fields["last_contact"].choices = [
            *everything,
            ("never", _("Never contacted")),
            ("30", _("In the last 30 days")),
            ("90", _("In the last 90 days")),
            ("older90", _("More than 90 days ago")),
        ]

    def filters(self) -> sel.DirectoryFilters:
        if not self.is_bound or not self.is_valid():
            return sel.DirectoryFilters()
        return sel.DirectoryFilters(
            **{k: v or ("" if k != "open_follow_ups" else False) for k, v in self.cleaned_data.items()}
        )


class StakeholderForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Organisation name"), max_length=200, validators=[validate_plain_text])
    kind = forms.ChoiceField(label=gettext_lazy("Type"), choices=Stakeholder.Kind.choices)
    country = forms.CharField(label=gettext_lazy("Country (ISO code)"), max_length=2, min_length=2)
    city = forms.CharField(label=gettext_lazy("City"), max_length=100, required=False, validators=[validate_plain_text])
    website = forms.URLField(label=gettext_lazy("Website"), required=False, assume_scheme="https")
    tags = forms.CharField(
        label=gettext_lazy("Tags, separated by commas"),
        max_length=500,
        required=False,
        validators=[validate_plain_text],
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV file"))


class ContactForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200, validators=[validate_plain_text])
    role = forms.CharField(label=gettext_lazy("Role"), max_length=200, required=False, validators=[validate_plain_text])
    email = forms.EmailField(label=gettext_lazy("Email"), required=False)
    phone = forms.CharField(
        label=gettext_lazy("Phone"), max_length=40, required=False, validators=[validate_plain_text]
    )
    consent_basis = forms.ChoiceField(
        label=gettext_lazy("How they agreed to be kept as a contact"), choices=StakeholderContact.ConsentBasis.choices
    )
    consent_given_on = forms.DateField(label=gettext_lazy("When they agreed"), widget=forms.DateInput({"type": "date"}))


class InteractionForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=[])
    happened_on = forms.DateField(label=gettext_lazy("Date"), widget=forms.DateInput({"type": "date"}))
    staff = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Who took part"), queryset=User.objects.none(), required=False
    )
    contacts = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Their people"), queryset=StakeholderContact.objects.none(), required=False
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes"),
        widget=forms.Textarea({"rows": 3}),
        required=False,
        validators=[validate_free_text, MaxLengthValidator(10_000)],
    )

    def __init__(self, *args: Any, stakeholder: Stakeholder, people: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Interaction.Kind.choices
        self.fields["staff"].queryset = User.objects.filter(pk__in=[u.pk for u in people])
        self.fields["contacts"].queryset = stakeholder.contacts.all()


class FollowUpForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("What to do"), max_length=200, validators=[validate_plain_text])
    owner = forms.ModelChoiceField(label=gettext_lazy("Owner"), queryset=User.objects.none())
    due_on = forms.DateField(label=gettext_lazy("Due on"), widget=forms.DateInput({"type": "date"}))

    def __init__(self, *args: Any, people: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(pk__in=[u.pk for u in people])


def _allowed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        programme = programme_get(slug=slug)
        if programme is None or not sel.may_see_stakeholders(user=request.user, programme=programme):
            raise Http404(_("No such programme."))
        return view(request, programme, *args, **kwargs)

    return wrapper


def _stakeholder(programme: Programme, pk: int) -> Stakeholder:
    stakeholder = sel.stakeholder_get(programme=programme, pk=pk)
    if stakeholder is None:
        raise Http404(_("No such stakeholder."))
    return stakeholder


def _directory_context(request: HttpRequest, programme: Programme, **extra: Any) -> dict[str, Any]:
    options = sel.filter_options(programme=programme)
    form = DirectoryFilterForm(request.GET or None, **options)
    rows = sel.directory(programme=programme, filters=form.filters())
    return {
        "programme": programme,
        "filter_form": form,
        "rows": rows,
        "query": ("?" + request.GET.urlencode()) if request.GET else "",
        "add_form": extra.pop("add_form", None) or StakeholderForm(),
        "import_form": ImportForm(),
        "import_errors": extra.pop("import_errors", []),
        **extra,
    }


@require_GET
@_allowed
def directory(request: HttpRequest, programme: Programme) -> HttpResponse:
    return render(request, "stakeholders/directory.html", _directory_context(request, programme))


@require_POST
@_allowed
def stakeholder_add(request: HttpRequest, programme: Programme) -> HttpResponse:
    form = StakeholderForm(request.POST)
    if form.is_valid():
        try:
            stakeholder = services.stakeholder_create(programme=programme, actor=request.user, data=form.cleaned_data)
        except EventsError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("stakeholders:detail", programme.slug, stakeholder.pk)
    return render(
        request, "stakeholders/directory.html", _directory_context(request, programme, add_form=form), status=422
    )


@require_POST
@_allowed
def stakeholder_import(request: HttpRequest, programme: Programme) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = [e for errs in form.errors.values() for e in errs]
        return render(
            request,
            "stakeholders/directory.html",
            _directory_context(request, programme, import_errors=errors),
            status=422,
        )
    upload = form.cleaned_data["file"]
    if upload.size > MAX_UPLOAD:
        errors = [_("The file is larger than 2 MB.")]
        return render(
            request,
            "stakeholders/directory.html",
            _directory_context(request, programme, import_errors=errors),
            status=422,
        )
    report = services.stakeholders_import(programme=programme, actor=request.user, data=upload.read())
    if not report.ok:
        errors = [str(e) for e in report.errors]
        return render(
            request,
            "stakeholders/directory.html",
            _directory_context(request, programme, import_errors=errors),
            status=422,
        )
    messages.success(request, _("%(n)s organisations imported.") % {"n": report.created})
    return redirect("stakeholders:directory", programme.slug)


@require_GET
@_allowed
def export_csv(request: HttpRequest, programme: Programme) -> HttpResponse:
    rows = sel.directory(
        programme=programme,
        filters=DirectoryFilterForm(request.GET or None, **sel.filter_options(programme=programme)).filters(),
    )
    response = HttpResponse(stakeholders_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="stakeholders-{programme.slug}.csv"'
    return response


@require_GET
@_allowed
def coverage(request: HttpRequest, programme: Programme) -> HttpResponse:
    return render(
        request, "stakeholders/coverage.html", {"programme": programme, "rows": sel.coverage(programme=programme)}
    )


def _people(programme: Programme) -> list[User]:
    return sel.programme_people(programme=programme)


def _detail(
    request: HttpRequest, programme: Programme, stakeholder: Stakeholder, status: int = 200, **forms_: Any
) -> HttpResponse:
    people = _people(programme)
    today = timezone.localdate()
    context = {
        "programme": programme,
        "stakeholder": stakeholder,
        "entries": sel.timeline(stakeholder=stakeholder, today=today),
        "contacts": list(stakeholder.contacts.all()),
        "contact_form": forms_.get("contact_form") or ContactForm(),
        "interaction_form": forms_.get("interaction_form")
        or InteractionForm(stakeholder=stakeholder, people=people, initial={"happened_on": today}),
        "follow_up_form": forms_.get("follow_up_form")
        or FollowUpForm(people=people, initial={"owner": request.user.pk}),
    }
    return render(request, "stakeholders/detail.html", context, status=status)


@require_GET
@_allowed
def detail(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    return _detail(request, programme, _stakeholder(programme, pk))


def _post(
    request: HttpRequest,
    programme: Programme,
    stakeholder: Stakeholder,
    form: forms.Form,
    name: str,
    write: Callable[[dict[str, Any]], Any],
) -> HttpResponse:
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except EventsError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("stakeholders:detail", programme.slug, stakeholder.pk)
    return _detail(request, programme, stakeholder, status=422, **{name: form})


@require_POST
@_allowed
def contact_add(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    stakeholder = _stakeholder(programme, pk)
    return _post(
        request,
        programme,
        stakeholder,
        ContactForm(request.POST),
        "contact_form",
        lambda d: services.contact_add(stakeholder=stakeholder, actor=request.user, **d),
    )


@require_POST
@_allowed
def interaction_add(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    stakeholder = _stakeholder(programme, pk)
    form = InteractionForm(request.POST, stakeholder=stakeholder, people=_people(programme))
    return _post(
        request,
        programme,
        stakeholder,
        form,
        "interaction_form",
        lambda d: services.interaction_record(
            stakeholder=stakeholder,
            actor=request.user,
            kind=d["kind"],
            happened_on=d["happened_on"],
            notes=d["notes"],
            staff=list(d["staff"]),
            contacts=list(d["contacts"]),
        ),
    )


@require_POST
@_allowed
def follow_up_add(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    stakeholder = _stakeholder(programme, pk)
    form = FollowUpForm(request.POST, people=_people(programme))
    return _post(
        request,
        programme,
        stakeholder,
        form,
        "follow_up_form",
        lambda d: services.follow_up_add(stakeholder=stakeholder, actor=request.user, **d),
    )


@require_POST
@_allowed
def follow_up_done(request: HttpRequest, programme: Programme, pk: int, follow_up: int) -> HttpResponse:
    stakeholder = _stakeholder(programme, pk)
    services.follow_up_done(follow_up=_follow_up(stakeholder, follow_up), actor=request.user)
    return redirect("stakeholders:detail", programme.slug, stakeholder.pk)


# Editing and removing ----------------------------------------------------------------------------
# Each edit is a page of its own (one form, readable on a phone), reached from the stakeholder's page;
# a GET only shows the form. Removals are POSTs from that page, each through one service.


def _edit_page(
    request: HttpRequest,
    programme: Programme,
    stakeholder: Stakeholder,
    *,
    form: forms.Form,
    heading: str,
    action: str,
    remove: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "programme": programme,
        "stakeholder": stakeholder,
        "form": form,
        "heading": heading,
        "action": action,
        "remove": remove,
    }
    return render(request, "stakeholders/edit.html", context, status=status)


def _save_edit(
    request: HttpRequest,
    programme: Programme,
    stakeholder: Stakeholder,
    form: forms.Form,
    write: Callable[[dict[str, Any]], Any],
    **page: Any,
) -> HttpResponse:
    if request.method == "POST":
        if form.is_valid():
            try:
                write(form.cleaned_data)
            except EventsError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Saved."))
                return redirect("stakeholders:detail", programme.slug, stakeholder.pk)
        return _edit_page(request, programme, stakeholder, form=form, status=422, **page)
    return _edit_page(request, programme, stakeholder, form=form, **page)


@require_http_methods(["GET", "POST"])
@_allowed
def stakeholder_edit(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    stakeholder = _stakeholder(programme, pk)
    initial = {**{f: getattr(stakeholder, f) for f in ("name", "kind", "country", "city", "website")}}
    initial["tags"] = ", ".join(stakeholder.tags or [])
    form = StakeholderForm(request.POST if request.method == "POST" else None, initial=initial)
    return _save_edit(
        request,
        programme,
        stakeholder,
        form,
        lambda d: services.stakeholder_update(stakeholder=stakeholder, actor=request.user, data=d),
        heading=_("Edit the organisation"),
        action=reverse("stakeholders:edit", args=[programme.slug, pk]),
        remove={
            "action": reverse("stakeholders:delete", args=[programme.slug, pk]),
            "label": _("Delete this organisation"),
            "warning": _("Its contact people, interactions and follow-ups are deleted with it."),
        },
    )


@require_POST
@_allowed
def stakeholder_delete(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    stakeholder = _stakeholder(programme, pk)
    services.stakeholder_delete(stakeholder=stakeholder, actor=request.user)
    messages.success(request, _("The organisation was deleted."))
    return redirect("stakeholders:directory", programme.slug)


def _contact(stakeholder: Stakeholder, contact: int) -> StakeholderContact:
    found = stakeholder.contacts.filter(pk=contact).first()
    if found is None:
        raise Http404(_("No such contact person."))
    return found


@require_http_methods(["GET", "POST"])
@_allowed
def contact_edit(request: HttpRequest, programme: Programme, pk: int, contact: int) -> HttpResponse:
    stakeholder = _stakeholder(programme, pk)
    person = _contact(stakeholder, contact)
    initial = {f: getattr(person, f) for f in services.CONTACT_FIELDS}
    form = ContactForm(request.POST if request.method == "POST" else None, initial=initial)
    return _save_edit(
        request,
        programme,
        stakeholder,
        form,
        lambda d: services.contact_update(contact=person, actor=request.user, data=d),
        heading=_("Edit the contact person"),
        action=reverse("stakeholders:contact_edit", args=[programme.slug, pk, contact]),
        remove={
            "action": reverse("stakeholders:contact_remove", args=[programme.slug, pk, contact]),
            "label": _("Remove this person"),
            "warning": _("Everything kept about them here is erased, and their name leaves the notes."),
        },
    )


@require_POST
@_allowed
def contact_remove(request: HttpRequest, programme: Programme, pk: int, contact: int) -> HttpResponse:
    stakeholder = _stakeholder(programme, pk)
    services.contact_remove(contact=_contact(stakeholder, contact), actor=request.user)
    messages.success(request, _("The contact person was removed and their data erased."))
    return redirect("stakeholders:detail", programme.slug, stakeholder.pk)


def _interaction(stakeholder: Stakeholder, interaction: int) -> Interaction:
    found = Interaction.objects.filter(pk=interaction, stakeholder=stakeholder).first()
    if found is None:
        raise Http404(_("No such interaction."))
    return found


@require_http_methods(["GET", "POST"])
@_allowed
def interaction_edit(request: HttpRequest, programme: Programme, pk: int, interaction: int) -> HttpResponse:
    stakeholder = _stakeholder(programme, pk)
    item = _interaction(stakeholder, interaction)
    initial = {
        "kind": item.kind,
        "happened_on": item.happened_on,
        "notes": item.notes,
        "staff": list(item.staff.values_list("pk", flat=True)),
        "contacts": list(item.contacts.values_list("pk", flat=True)),
    }
    form = InteractionForm(
        request.POST if request.method == "POST" else None,
        stakeholder=stakeholder,
        people=_people(programme),
        initial=initial,
    )
    return _save_edit(
        request,
        programme,
        stakeholder,
        form,
        lambda d: services.interaction_update(
            interaction=item,
            actor=request.user,
            kind=d["kind"],
            happened_on=d["happened_on"],
            notes=d["notes"],
            staff=list(d["staff"]),
            contacts=list(d["contacts"]),
        ),
        heading=_("Edit the interaction"),
        action=reverse("stakeholders:interaction_edit", args=[programme.slug, pk, interaction]),
        remove={
            "action": reverse("stakeholders:interaction_delete", args=[programme.slug, pk, interaction]),
            "label": _("Delete this interaction"),
            "warning": _("Its follow-ups stay on the timeline."),
        },
    )


@require_POST
@_allowed
def interaction_delete(request: HttpRequest, programme: Programme, pk: int, interaction: int) -> HttpResponse:
    stakeholder = _stakeholder(programme, pk)
    services.interaction_delete(interaction=_interaction(stakeholder, interaction), actor=request.user)
    messages.success(request, _("The interaction was deleted."))
    return redirect("stakeholders:detail", programme.slug, stakeholder.pk)


def _follow_up(stakeholder: Stakeholder, follow_up: int) -> FollowUp:
    found = FollowUp.objects.filter(pk=follow_up, stakeholder=stakeholder).first()
    if found is None:
        raise Http404(_("No such follow-up."))
    return found


@require_http_methods(["GET", "POST"])
@_allowed
def follow_up_edit(request: HttpRequest, programme: Programme, pk: int, follow_up: int) -> HttpResponse:
    stakeholder = _stakeholder(programme, pk)
    item = _follow_up(stakeholder, follow_up)
    form = FollowUpForm(
        request.POST if request.method == "POST" else None,
        people=_people(programme),
        initial={"title": item.title, "owner": item.owner_id, "due_on": item.due_on},
    )
    return _save_edit(
        request,
        programme,
        stakeholder,
        form,
        lambda d: services.follow_up_update(follow_up=item, actor=request.user, **d),
        heading=_("Edit the follow-up"),
        action=reverse("stakeholders:follow_up_edit", args=[programme.slug, pk, follow_up]),
    )


@require_POST
@_allowed
def follow_up_reopen(request: HttpRequest, programme: Programme, pk: int, follow_up: int) -> HttpResponse:
    stakeholder = _stakeholder(programme, pk)
    services.follow_up_reopen(follow_up=_follow_up(stakeholder, follow_up), actor=request.user)
    return redirect("stakeholders:detail", programme.slug, stakeholder.pk)
