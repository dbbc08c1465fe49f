"""Pages of matching: the employer board, the candidate's matches, profile, badge scan, leads, the
skills-gap report and the organiser's timetable runs.

Live pages render on the server. live.js fetches a fragment (`{seq, html}`) as its snapshot, and any
pushed message simply triggers a fresh fragment, so the page never renders state twice in two places.
"""

from __future__ import annotations

import csv
import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from config import ratelimit
from config.csp import wasm_qr_decoder
from events.csv_rows import spreadsheet_safe
from events.models import Consent, Event, Organisation, Registration, User
from events.selectors import event_get_visible, is_organiser
from matching import board, meetings, selectors, services, timetable
from matching import exceptions as exc
from matching.engine.scoring import WEIGHTS
from matching.forms import BadgeForm, LeadForm, ProfileForm
from matching.gap_report import gap_report, gap_report_csv
from matching.meeting_links import answer_from_token
from matching.models import CandidateProfile, Lead, ScheduleRun
from realtime.groups import user_stream
from realtime.publish import current_seq

logger = logging.getLogger(__name__)


def _event(request: HttpRequest, slug: str) -> Event:
    event = event_get_visible(user=request.user, slug=slug)
    if event is None:
        raise Http404
    return event


def _login(request: HttpRequest) -> HttpResponse | None:
    return None if request.user.is_authenticated else redirect_to_login(request.get_full_path())


class _MembershipWaiting(Exception):
    """A registered employer whose membership is not granted: the views answer with the waiting page."""

    def __init__(self, standing: selectors.EmployerStanding) -> None:
        self.standing = standing


def _employer(request: HttpRequest, event: Event) -> Organisation:
    """The organisation whose data the page shows: only for a granted member (one selector decides)."""
    standing = selectors.employer_standing_at(user=request.user, event=event)
    if standing.granted:
        return standing.organisation  # type: ignore[return-value]
    if standing.waiting:
        raise _MembershipWaiting(standing)
    raise Http404


def _waiting_page(request: HttpRequest, event: Event, waiting: _MembershipWaiting) -> HttpResponse:
    """Instead of the organisation's data: where the person's request stands and what happens next."""
    context = {"event": event, "organisation": waiting.standing.organisation, "status": waiting.standing.membership}
    return render(request, "events/memberships_waiting.html", context, status=403)


def _int(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


# --- Employer board -------------------------------------------------------------------------------


NEXT_MEETINGS = 4


def factor_labels() -> dict[str, str]:
    return {
        "required_skills": _("Required skills"),
        "required": _("Required skills"),
        "nice_skills": _("Nice to have"),
        "nice": _("Nice to have"),
        "languages": _("Languages"),
        "language": _("Languages"),
        "location": _("Location"),
        "experience": _("Experience"),
        "kind": _("Internship or job"),
        "interest": _("Mutual interest"),
    }


def factor_help() -> dict[str, str]:
    """Each "+" part of a board score in words, with the most it can give (matching/engine/scoring.py's
    WEIGHTS), shown when an employer taps the score's summary."""
    w = {code: round(points) for code, points in WEIGHTS.items()}
    return {
        "skills": _(
            "The chips are the opening's skills: required ones count up to %(required)s points, nice-to-have "
            "ones (marked +) up to %(nice)s. A related skill or a lower level counts in part."
        )
        % {"required": w["required_skills"], "nice": w["nice_skills"]},
        "languages": _("Languages: speaks the languages the opening asks for, at the level asked (up to %(n)s points).")
        % {"n": w["languages"]},
        "location": _(
            "Location: can work where the job is: the same city, remote, or ready to relocate (up to %(n)s points)."
        )
        % {"n": w["location"]},
        "experience": _("Experience: years of experience against the opening's minimum (up to %(n)s points).")
        % {"n": w["experience"]},
        "kind": _("Internship or job: looking for this kind of position (%(n)s points).") % {"n": w["kind"]},
        "interest": _(
            "Mutual interest: the candidate starred your organisation, or you shortlisted them (up to %(n)s points)."
        )
        % {"n": w["interest"]},
    }


def _factor_rows(factors: dict[str, float]) -> list[tuple[str, float, str]]:
    """The other reasons for a score, as (label, points, what it means) for the board's summary."""
    labels, help_texts = factor_labels(), factor_help()
    skip = {"required_skills", "required", "nice_skills", "nice"}  # the skill chips already say these
    return [
        (labels.get(code, code), pts, help_texts.get(code, ""))
        for code, pts in factors.items()
        if code not in skip and pts > 0
    ]


def _board_context(event: Event, org: Organisation) -> dict[str, Any]:
    data = board.board_for(event=event, organisation_id=org.pk)
    titles = {o.pk: o for o in selectors.openings_for(event=event, organisation=org)}
    for op in data["openings"]:
        op["opening"] = titles.get(op["opening_id"])
        for row in op["candidates"]:
            row["factor_rows"] = _factor_rows(row["explanation"].get("factors", {}))
    day = list(
        selectors.meetings_for_organisation(event=event, organisation=org)
        .filter(status__in=["booked", "confirmed", "no_show"], ends_at__gt=timezone.now())
        .order_by("starts_at", "table")
    )
    return {
        "event": event,
        "organisation": org,
        "board": data,
        # Candidates' requests waiting for this employer's answer, and the booth's meetings.
        "incoming": selectors.requests_waiting_for_organisation(event=event, organisation=org),
        # Now and next at the booth first; the rest of the day folds away below the board.
        "booth_next": day[:NEXT_MEETINGS],
        "booth_later": day[NEXT_MEETINGS:],
        "skills_help": factor_help()["skills"],
    }


def board_page(request: HttpRequest, slug: str) -> HttpResponse:
    if (response := _login(request)) is not None:
        return response
    event = _event(request, slug)
    try:
        org = _employer(request, event)
    except _MembershipWaiting as waiting:
        return _waiting_page(request, event, waiting)
    return render(request, "matching/board.html", _board_context(event, org))


def board_fragment(request: HttpRequest, slug: str) -> JsonResponse:
    if not request.user.is_authenticated:
        return JsonResponse({"status": "error", "reason": "unauthenticated"}, status=401)
    event = _event(request, slug)
    try:
        org = _employer(request, event)
    except _MembershipWaiting:
        body = {"status": "error", "reason": "membership_required", "message": _("Waiting for approval.")}
        return JsonResponse(body, status=403)
    ctx = _board_context(event, org)
    html = render_to_string("matching/_board.html", ctx, request=request)
    return JsonResponse({"seq": ctx["board"]["seq"], "html": html})


@require_POST
def board_action(request: HttpRequest, slug: str) -> HttpResponse:
    if (response := _login(request)) is not None:
        return response
    event = _event(request, slug)
    try:
        org = _employer(request, event)
    except _MembershipWaiting as waiting:
        return _waiting_page(request, event, waiting)
    action = request.POST.get("action", "")
    # The id of the candidate, or of the request or meeting the action is about.
    candidate_id = _int(request.POST.get("candidate_id") or request.POST.get("id"))
    try:
        if candidate_id is None:
            raise exc.InvalidInput(_("Choose a candidate."))
        if action in ("accept", "decline"):
            meetings.meeting_request_respond(request_id=candidate_id, user=request.user, accept=action == "accept")
        elif action == "we_met":
            meetings.meeting_confirm(meeting_id=candidate_id, user=request.user)
        elif action == "no_show":
            refill = meetings.meeting_no_show(meeting_id=candidate_id, user=request.user)
            if refill is not None:
                messages.success(request, _("The slot went to a candidate on standby."))
        elif action == "cancel":
            meetings.meeting_cancel(meeting_id=candidate_id, user=request.user)
        elif action == "withdraw":
            # The row names the candidate: withdraw this employer's request to them.
            pending = selectors.pending_request_between(event=event, organisation=org, candidate_id=candidate_id)
            if pending is None:
                raise exc.RequestClosed(_("This request is no longer open."))
            meetings.meeting_request_cancel(request_id=pending.pk, user=request.user)
            messages.success(request, _("Request withdrawn."))
        elif action in ("shortlist", "not_now", "clear"):
            services.mark_set(
                event=event, user=request.user, candidate_id=candidate_id, kind=None if action == "clear" else action
            )
        elif action == "request":
            ratelimit.hit("meeting_request", request=request, account=request.user)
            opening = (
                selectors.openings_for(event=event, organisation=org)
                .filter(pk=_int(request.POST.get("opening_id")) or 0)
                .first()
            )
            meetings.meeting_request_create(
                event=event,
                organisation=org,
                candidate=User.objects.get(pk=candidate_id),
                sent_by="employer",
                requested_by=request.user,
                opening=opening,
            )
            messages.success(request, _("Meeting request sent."))
        else:
            raise exc.InvalidInput(_("Unknown action."))
    except (exc.MatchingError, User.DoesNotExist) as e:
        messages.error(request, getattr(e, "message", _("No such candidate.")))
    return redirect("matching:board", slug=event.slug)


# --- Candidate: my matches, requests and meetings -------------------------------------------------


def _me_context(event: Event, user: User) -> dict[str, Any]:
    return {
        "event": event,
        "matches": board.matches_for_candidate(event=event, user_id=user.pk),
        "requests": selectors.requests_for_candidate(event=event, candidate=user, limit=50),
        "meetings": selectors.meetings_for_candidate(event=event, candidate=user).exclude(status="cancelled"),
        "has_profile": CandidateProfile.objects.filter(user=user).exists(),
        "consent": Registration.objects.filter(event=event, user=user, consent_share_profile=True).exists(),
        "seq": current_seq(user_stream(user.pk)),
    }


def me_page(request: HttpRequest, slug: str) -> HttpResponse:
    if (response := _login(request)) is not None:
        return response
    event = _event(request, slug)
    if not selectors.is_candidate_at(user=request.user, event=event):
        if event.kind == Event.Kind.DIALOGUE and selectors.official_at(user=request.user, event=event):
            # An official's "me" at a dialogue is their dialogue page, not a job seeker's matches.
            return redirect("matching:dialogue", slug=event.slug)
        raise Http404
    return render(request, "matching/me.html", _me_context(event, request.user))


def me_fragment(request: HttpRequest, slug: str) -> JsonResponse:
    if not request.user.is_authenticated:
        return JsonResponse({"status": "error", "reason": "unauthenticated"}, status=401)
    event = _event(request, slug)
    if not selectors.is_candidate_at(user=request.user, event=event):
        raise Http404
    ctx = _me_context(event, request.user)
    return JsonResponse({"seq": ctx["seq"], "html": render_to_string("matching/_me.html", ctx, request=request)})


@require_POST
def me_action(request: HttpRequest, slug: str) -> HttpResponse:
    """The candidate's taps: answer or withdraw a request, confirm or cancel a meeting, star an employer."""
    if (response := _login(request)) is not None:
        return response
    event = _event(request, slug)
    action = request.POST.get("action", "")
    target = _int(request.POST.get("id"))
    try:
        if target is None:
            raise exc.InvalidInput(_("Nothing chosen."))
        if action in ("accept", "decline"):
            meetings.meeting_request_respond(request_id=target, user=request.user, accept=action == "accept")
        elif action == "withdraw":
            meetings.meeting_request_cancel(request_id=target, user=request.user)
        elif action == "confirm":
            meetings.meeting_confirm(meeting_id=target, user=request.user)
        elif action == "cancel":
            meetings.meeting_cancel(meeting_id=target, user=request.user)
        elif action in ("star", "unstar"):
            services.star_set(event=event, candidate=request.user, organisation_id=target, on=action == "star")
        elif action == "ask":
            ratelimit.hit("meeting_request", request=request, account=request.user)
            org = Organisation.objects.filter(pk=target).first()
            if org is None:
                raise exc.NotFound(_("No such employer."))
            meetings.meeting_request_create(
                event=event, organisation=org, candidate=request.user, sent_by="candidate", requested_by=request.user
            )
            messages.success(request, _("Meeting request sent."))
        else:
            raise exc.InvalidInput(_("Unknown action."))
    except exc.MatchingError as e:
        messages.error(request, e.message)
    return redirect("matching:me", slug=event.slug)


def notices_fragment(request: HttpRequest) -> JsonResponse:
    """The snapshot of `{% meeting_notices %}`: requests waiting for the signed-in person's answer."""
    from matching.templatetags.meeting_notices import notices_html

    if not request.user.is_authenticated:
        return JsonResponse({"status": "error", "reason": "unauthenticated"}, status=401)
    return JsonResponse({"seq": current_seq(user_stream(request.user.pk)), "html": notices_html(user=request.user)})


# --- Answering a request from its email -----------------------------------------------------------


@require_http_methods(["GET", "POST"])
def answer_page(request: HttpRequest, token: str) -> HttpResponse:
    """An emailed "accept" or "decline" link: GET shows the request and one button; POST answers it.

    The signed link (matching/meeting_links.py) acts for its candidate only and signs nobody in; a
    GET changes nothing, since mail scanners open links.
    """
    signed = answer_from_token(token)
    if signed is None:
        return render(request, "matching/answer_invalid.html", status=400)
    req = signed.request
    context: dict[str, Any] = {"req": req, "event": req.event, "answer": signed.answer, "done": False}
    if request.method == "POST":
        ratelimit.hit("meeting_request", request=request, account=req.candidate)
        try:
            req = meetings.meeting_request_respond(
                request_id=req.pk, user=req.candidate, accept=signed.answer == "accept"
            )
        except exc.MatchingError as e:
            context.update(error=e.message)
            return render(request, "matching/answer.html", context, status=409)
        context.update(req=req, done=True, meeting=getattr(req, "meeting", None))
        return render(request, "matching/answer.html", context)
    if not selectors.request_open(request=req):
        context.update(error=_("This request is no longer open."))
        return render(request, "matching/answer.html", context, status=409)
    return render(request, "matching/answer.html", context)


def profile_page(request: HttpRequest, slug: str) -> HttpResponse:
    if (response := _login(request)) is not None:
        return response
    event = _event(request, slug)
    # A job seeker's profile: only candidates are offered one (officials, employers and speakers are not).
    reg = Registration.objects.filter(event=event, user=request.user, role=Registration.Role.CANDIDATE).first()
    if reg is None:
        raise Http404
    skills = list(selectors.skills_all())
    profile = selectors.profile_for(user=request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, skills=skills)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.profile_update(
                    user=request.user,
                    headline=d["headline"],
                    education=d["education"],
                    field_of_study=d["field_of_study"],
                    years_experience=d["years_experience"],
                    seeking=d["seeking"],
                    cities=d["cities"],
                    relocate_lithuania=d["relocate_lithuania"],
                    remote=d["remote"],
                    available_from=d["available_from"],
                    skills=form.skill_levels(),
                    languages=form.language_levels(),
                    cv=d["cv"] or None,
                    remove_cv=d["cv"] is False,
                )
                services.consent_set(
                    user=request.user,
                    actor=request.user,
                    event=event,
                    consent=d["consent"],
                    source=Consent.Source.PAGE,
                    client=request.path,
                )
            except exc.MatchingError as e:
                form.add_error(None, e.message)
            else:
                messages.success(request, _("Your profile is saved."))
                return redirect("matching:me", slug=event.slug)
    else:
        initial: dict[str, Any] = {"consent": reg.consent_share_profile, "seeking": "both", "years_experience": 0}
        if profile is not None:
            for name in ("headline", "education", "field_of_study", "years_experience", "seeking", "cities"):
                initial[name] = getattr(profile, name)
            initial.update(
                relocate_lithuania=profile.relocate_lithuania,
                remote=profile.remote,
                available_from=profile.available_from,
            )
            initial.update({f"skill_{cs.skill_id}": str(cs.level) for cs in profile.skill_levels.all()})
            initial.update({f"lang_{cl.language}": str(cl.level) for cl in profile.languages.all()})
        form = ProfileForm(initial=initial, skills=skills)
    return render(request, "matching/profile.html", {"event": event, "form": form, "profile": profile})


def cv_download(request: HttpRequest, user_id: int) -> HttpResponse:
    """The CV, only to the candidate, organisers and employers at an event where the candidate consented."""
    # Counted before the permission check: guessing ids costs attempts too.
    ratelimit.hit("cv_download", request=request, account=request.user if request.user.is_authenticated else None)
    if not selectors.can_view_cv(viewer=request.user, candidate_id=user_id):
        raise Http404
    profile = CandidateProfile.objects.filter(user_id=user_id).first()
    if profile is None or not profile.cv:
        raise Http404
    try:
        handle = profile.cv.open("rb")
    except OSError:
        # The row names a file the storage no longer has (restored database, lost volume): not found,
        # not a server error; the log says which.
        logger.warning("cv_download: %s is missing from storage", profile.cv.name)
        raise Http404 from None
    response = FileResponse(handle, content_type="application/pdf", filename="cv.pdf")
    services.cv_view_record(candidate_id=user_id, viewer=request.user)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Badge scan and leads -------------------------------------------------------------------------


@wasm_qr_decoder
def scan_page(request: HttpRequest, slug: str) -> HttpResponse:
    if (response := _login(request)) is not None:
        return response
    event = _event(request, slug)
    try:
        _employer(request, event)
    except _MembershipWaiting as waiting:
        return _waiting_page(request, event, waiting)
    form = BadgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lead = services.lead_from_badge(event=event, user=request.user, payload=form.cleaned_data["payload"])
        except exc.MatchingError as e:
            form.add_error("payload", e.message)
        else:
            return redirect("matching:lead", slug=event.slug, candidate_id=lead.candidate_id)
    return render(request, "matching/scan.html", {"event": event, "form": form})


def lead_page(request: HttpRequest, slug: str, candidate_id: int) -> HttpResponse:
    if (response := _login(request)) is not None:
        return response
    event = _event(request, slug)
    try:
        org = _employer(request, event)
    except _MembershipWaiting as waiting:
        return _waiting_page(request, event, waiting)
    if not selectors.can_view_profile(viewer=request.user, event=event, candidate_id=candidate_id):
        raise Http404
    lead = Lead.objects.filter(event=event, organisation=org, candidate_id=candidate_id).first()
    form = LeadForm(
        request.POST or None, initial={"rating": lead.rating if lead else None, "note": lead.note if lead else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.lead_capture(
                event=event,
                user=request.user,
                candidate_id=candidate_id,
                rating=form.cleaned_data["rating"],
                note=form.cleaned_data["note"],
            )
        except exc.MatchingError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("Lead saved."))
            return redirect("matching:scan", slug=event.slug)
    profile = CandidateProfile.objects.filter(user_id=candidate_id).select_related("user").first()
    detail = selectors.profile_detail(profile=profile) if profile else None
    return render(request, "matching/lead.html", {"event": event, "form": form, "profile": detail, "lead": lead})


def leads_csv(request: HttpRequest, slug: str) -> HttpResponse:
    if (response := _login(request)) is not None:
        return response
    event = _event(request, slug)
    try:
        org = _employer(request, event)
    except _MembershipWaiting as waiting:
        return _waiting_page(request, event, waiting)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="leads-{event.slug}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the Arabic and Lithuanian names right
    writer = csv.writer(response)
    writer.writerow(["name", "email", "rating", "note", "captured_by", "updated_at"])
    for lead in selectors.leads_for(event=event, organisation=org):
        # Consent can be withdrawn after the scan; such a lead keeps the note but loses the person.
        visible = selectors.candidate_visible_to_employers(event=event, user_id=lead.candidate_id)
        row = [
            lead.candidate.full_name if visible else _("(withdrew consent)"),
            lead.candidate.email if visible else "",
            lead.rating or "",
            lead.note.replace("\r", " "),
            lead.captured_by.email if lead.captured_by else "",
            lead.updated_at.isoformat(),
        ]
        # Notes and names are typed by people: a "=HYPERLINK(…)" must stay text in the employer's spreadsheet.
        writer.writerow([spreadsheet_safe(value) for value in row])
    return response


# --- Organisers: skills-gap report and timetable runs ---------------------------------------------


CHART_ROWS = 25


def _organiser_event(request: HttpRequest, slug: str) -> Event:
    if not is_organiser(request.user):
        raise Http404
    return _event(request, slug)


def gap_report_page(request: HttpRequest, slug: str) -> HttpResponse:
    if (response := _login(request)) is not None:
        return response
    event = _organiser_event(request, slug)
    report = gap_report(event=event)
    for row in report["skills"]:
        # Bar lengths in the chart's own units (235 wide), so the SVG needs no arithmetic.
        row["demand_w"] = round(235 * row["demand"] / report["scale"], 1)
        row["supply_w"] = round(235 * row["supply_qualified"] / report["scale"], 1)
    # A phone shows a readable chart of the largest gaps; the tables and the CSV have every skill.
    chart_rows = report["skills"][:CHART_ROWS]
    return render(
        request,
        "matching/gap_report.html",
        {"event": event, "report": report, "chart_rows": chart_rows, "chart_height": 16 * len(chart_rows) + 4},
    )


def gap_report_csv_view(request: HttpRequest, slug: str) -> HttpResponse:
    if (response := _login(request)) is not None:
        return response
    event = _organiser_event(request, slug)
    response = HttpResponse(gap_report_csv(gap_report(event=event)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="skills-gap-{event.slug}.csv"'
    return response


def timetable_page(request: HttpRequest, slug: str) -> HttpResponse:
    if (response := _login(request)) is not None:
        return response
    event = _organiser_event(request, slug)
    if request.method == "POST":
        try:
            timetable.timetable_run_start(
                event=event,
                user=request.user,
                kind=request.POST.get("kind", "booths"),
                fair=request.POST.get("fair") == "on",
            )
        except exc.MatchingError as e:
            messages.error(request, e.message)
        return redirect("matching:timetable", slug=event.slug)
    runs = ScheduleRun.objects.filter(event=event)[:10]
    running = any(r.status in (ScheduleRun.Status.QUEUED, ScheduleRun.Status.RUNNING) for r in runs)
    return render(
        request,
        "matching/timetable.html",
        {"event": event, "runs": runs, "running": running, "config": selectors.fair_config(event=event)},
    )
