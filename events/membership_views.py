"""Pages of organisation memberships: the organisers' list of requests, an organisation's members
page for its admins (invite colleagues, decide on requests), and the invitation link.

Every decision goes through `events.memberships` (one table of transitions); these views only parse
the form, call it, and say what happened.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from events import memberships
from events.exceptions import EventsError
from events.models import Membership, Organisation
from events.selectors import is_organiser

# What each button asks for, and what the person is told afterwards.
DECISIONS = {
    "grant": Membership.Status.GRANTED,
    "refuse": Membership.Status.REFUSED,
    "remove": Membership.Status.REMOVED,
}


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = fallback
    return redirect(target)


@require_http_methods(["GET"])
def requests_page(request: HttpRequest) -> HttpResponse:
    """Organisers: every request waiting for a decision, and the organisations nobody verified yet."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_organiser(request.user):
        raise Http404
    context = {
        "pending": memberships.memberships_pending(),
        "unconfirmed": memberships.registrations_without_membership()[:200],
        "organisations": memberships.organisations_pending(),
    }
    return render(request, "events/memberships_requests.html", context)


@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Grant, refuse or remove one membership (organisers, or the organisation's admins)."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("memberships:requests"))
    membership = Membership.objects.select_related("user", "organisation").filter(pk=pk).first()
    if membership is None or not memberships.may_decide(actor=request.user, organisation=membership.organisation):
        raise Http404
    status = DECISIONS.get(request.POST.get("decision", ""))
    fallback = (
        reverse("memberships:requests")
        if is_organiser(request.user)
        else reverse("memberships:members", args=[membership.organisation_id])
    )
    if status is None:
        messages.error(request, _("Choose approve, refuse or remove."))
        return _back(request, fallback)
    try:
        memberships.membership_decide(membership=membership, status=status, by=request.user)
    except EventsError as error:
        messages.error(request, error.message)
    else:
        who = membership.user.get_full_name() or membership.user.email
        text = {
            Membership.Status.GRANTED: _("%(who)s is now a member of %(org)s. We emailed them."),
            Membership.Status.REFUSED: _("%(who)s was refused. We emailed them."),
            Membership.Status.REMOVED: _("%(who)s was removed from %(org)s. We emailed them."),
        }[status]
        messages.success(request, text % {"who": who, "org": membership.organisation.name})
    return _back(request, fallback)


@require_POST
def confirm_registration(request: HttpRequest, pk: int) -> HttpResponse:
    """Organisers: the organisation a registration names is the person's (registered by an organiser)."""
    if not is_organiser(request.user):
        raise Http404
    registration = memberships.registrations_without_membership().filter(pk=pk).first()
    if registration is not None:
        memberships.membership_grant(
            user=registration.user, organisation=registration.organisation, by=request.user, tell=True
        )
        who = registration.user.get_full_name() or registration.user.email
        text = _("%(who)s is now a member of %(org)s. We emailed them.")
        messages.success(request, text % {"who": who, "org": registration.organisation.name})
    return _back(request, reverse("memberships:requests"))


@require_POST
def verify_organisation(request: HttpRequest, pk: int) -> HttpResponse:
    """Organisers: the organisation somebody named is real."""
    if not is_organiser(request.user):
        raise Http404
    organisation = get_object_or_404(Organisation, pk=pk)
    memberships.organisation_verify(organisation=organisation, by=request.user)
    messages.success(request, _("%(org)s is verified.") % {"org": organisation.name})
    return _back(request, reverse("memberships:requests"))


@require_http_methods(["GET", "POST"])
def members_page(request: HttpRequest, pk: int) -> HttpResponse:
    """An organisation's admins (and organisers): its members and requests, and inviting colleagues."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organisation = get_object_or_404(Organisation, pk=pk)
    if not memberships.may_decide(actor=request.user, organisation=organisation):
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            email = memberships.membership_invite(
                organisation=organisation, email=request.POST.get("email", ""), by=request.user
            )
        except EventsError as e:
            error = e.message
        else:
            messages.success(request, _("We emailed an invitation to %(email)s.") % {"email": email})
            return redirect("memberships:members", pk=organisation.pk)
    context = {
        "organisation": organisation,
        "members": memberships.members_of(organisation=organisation),
        "error": error,
        "email": request.POST.get("email", "") if error else "",
    }
    return render(request, "events/memberships_members.html", context, status=400 if error else 200)


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: GET shows what it does (link scanners open links too), POST accepts."""
    read = memberships.invitation_read(token=token)
    if read is None:
        return render(request, "events/memberships_invitation.html", {"invalid": True}, status=400)
    organisation, email, inviter = read
    if request.method == "GET":
        context = {"organisation": organisation, "email": email, "inviter": inviter}
        return render(request, "events/memberships_invitation.html", context)
    try:
        membership = memberships.membership_accept_invitation(token=token)
    except EventsError as e:
        context = {"organisation": organisation, "email": email, "inviter": inviter, "error": e.message}
        return render(request, "events/memberships_invitation.html", context, status=e.status)
    user = membership.user
    if user.is_staff or user.is_superuser:
        # Staff sign in with their password only: an emailed link must never open an organiser's session.
        messages.success(
            request,
            _("You are now a member of %(org)s. Sign in with your password to continue.") % {"org": organisation.name},
        )
        return redirect("events:sign_in")
    if request.user.pk != user.pk:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("You are now a member of %(org)s.") % {"org": organisation.name})
    return redirect("events:me")
