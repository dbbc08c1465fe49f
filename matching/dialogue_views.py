"""Pages of a policy dialogue: the official's own page, their bilateral wishes, the organiser's scheduler.

Who may open what is decided by one selector each: `dialogue.official_registration` (an official
of the event with a granted membership of the institution they name) and `is_organiser`. Anybody
else gets the friendly 404 page (templates/404.html) in their language; no page here answers a
bare response.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from events.models import Event, Organisation, User
from events.selectors import event_get_visible, is_organiser, session_list_visible
from matching import bilateral, dialogue, timetable
from matching import exceptions as exc
from matching.dialogue_forms import BusyForm, WishForm, window_key
from matching.models import Meeting, ScheduleRun


def _dialogue_event(request: HttpRequest, slug: str) -> Event:
    event = event_get_visible(user=request.user, slug=slug)
    if event is None or event.kind != Event.Kind.DIALOGUE:
        raise Http404
    return event


def _days(sessions: list, tz) -> list[tuple]:
    days: dict = {}
    for s in sessions:
        days.setdefault(s.starts_at.astimezone(tz).date(), []).append(s)
    return sorted(days.items())


def official_context(request: HttpRequest, event: Event, *, programme: bool = True) -> dict:
    """What the official's page shows (organisers see it too, without their own meetings and wishes)."""
    user = request.user
    language = get_language()
    context = {
        "event": event,
        "delegations": dialogue.delegations(event=event),
        "days": _days(list(session_list_visible(user=user, event=event)), event.tzinfo) if programme else [],
        "topics": [t.label(language) for t in dialogue.topics(event=event)],
        "wishes_open": dialogue.wishes_open(event=event),
        "wishes_close_at": dialogue.wishes_close_at(event=event),
        "is_organiser": is_organiser(user),
    }
    if dialogue.official_registration(user=user, event=event) is not None:
        context["meetings"] = _meeting_rows(dialogue.bilateral_meetings_of(event=event, user=user), user)
        context["wishes"] = _wish_rows(dialogue.wishes_of(event=event, official=user), language)
        context["is_official"] = True
    return context


def _meeting_rows(meetings: list[Meeting], user: User) -> list[dict]:
    rows = []
    for m in meetings:
        mine = m.candidate_id == user.pk
        rows.append(
            {
                "starts_at": m.starts_at,
                "ends_at": m.ends_at,
                "room": m.room.name if m.room_id else "",
                "with": m.organisation.name if mine else (m.candidate.full_name or _("An official")),
                "institution": "" if mine else m.organisation.name,
            }
        )
    return rows


def _wish_rows(wishes: list, language: str | None) -> list[dict]:
    return [
        {
            "counterpart_id": w.counterpart_id,
            "counterpart": w.counterpart.name,
            "person": (w.person.full_name or w.person.email) if w.person_id else "",
            "topics": [t.label(language) for t in w.topics.all()],
            "weight": w.weight,
        }
        for w in wishes
    ]


@require_safe
def official_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The dialogue seen by an official: delegations, programme, their meetings, topics, their wishes."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    event = _dialogue_event(request, slug)
    if not (is_organiser(request.user) or dialogue.official_registration(user=request.user, event=event)):
        raise Http404
    return render(request, "matching/dialogue/official.html", official_context(request, event))


@require_http_methods(["GET", "POST"])
def wishes_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The official's bilateral wishes: add or change one, withdraw one, say when they cannot meet."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    event = _dialogue_event(request, slug)
    registration = dialogue.official_registration(user=request.user, event=event)
    if registration is None:
        raise Http404
    counterparts = dialogue.counterparts_for(event=event, registration=registration)
    topics = dialogue.topics(event=event)
    windows = dialogue.bilateral_windows(event=event)
    form = WishForm(counterparts=counterparts, topics=topics)
    busy_form = BusyForm(
        windows=windows,
        tz=event.tzinfo,
        initial={"busy": [window_key(s) for s, _e in dialogue.busy_windows(event=event, official=request.user)]},
    )
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "save":
                form = WishForm(request.POST, counterparts=counterparts, topics=topics)
                if form.is_valid():
                    org_id, person_id = form.cleaned_target()
                    dialogue.wish_save(
                        event=event,
                        official=request.user,
                        counterpart_id=org_id,
                        person_id=person_id,
                        topic_ids=form.cleaned_topic_ids(),
                        weight=form.cleaned_weight(),
                    )
                    messages.success(request, _("Your wish is saved."))
                    return redirect("matching:dialogue_wishes", slug=event.slug)
                status = 400
            elif action == "withdraw":
                org = _int(request.POST.get("counterpart"))
                if org is None or not dialogue.wish_withdraw(event=event, official=request.user, counterpart_id=org):
                    raise exc.InvalidInput(_("There is no such wish to withdraw."))
                messages.success(request, _("Your wish is withdrawn."))
                return redirect("matching:dialogue_wishes", slug=event.slug)
            elif action == "busy":
                busy_form = BusyForm(request.POST, windows=windows, tz=event.tzinfo)
                if busy_form.is_valid():
                    dialogue.busy_set(event=event, official=request.user, windows=busy_form.cleaned_windows())
                    messages.success(request, _("Your times are saved."))
                    return redirect("matching:dialogue_wishes", slug=event.slug)
                status = 400
            else:
                raise exc.InvalidInput(_("Unknown action."))
        except exc.MatchingError as e:
            form.add_error(None, e.message)
            status = e.status if e.status in (403, 409) else 400
    context = {
        "event": event,
        "form": form,
        "busy_form": busy_form,
        "has_windows": bool(windows),
        "has_counterparts": bool(counterparts.institutions),
        "wishes": _wish_rows(dialogue.wishes_of(event=event, official=request.user), get_language()),
        "wishes_open": dialogue.wishes_open(event=event),
        "wishes_close_at": dialogue.wishes_close_at(event=event),
    }
    return render(request, "matching/dialogue/wishes.html", context, status=status)


def _int(value: object) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


@require_http_methods(["GET", "POST"])
def scheduler_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The organiser's bilateral scheduler: the published slots, a run, what it booked and what it could not."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_organiser(request.user):
        raise Http404
    event = _dialogue_event(request, slug)
    if request.method == "POST":
        try:
            timetable.timetable_run_start(
                event=event, user=request.user, kind=ScheduleRun.Kind.BILATERAL, fair=request.POST.get("fair") == "on"
            )
        except exc.MatchingError as e:
            messages.error(request, e.message)
        return redirect("matching:dialogue_scheduler", slug=event.slug)
    runs = list(ScheduleRun.objects.filter(event=event, kind=ScheduleRun.Kind.BILATERAL)[:5])
    running = any(r.status in (ScheduleRun.Status.QUEUED, ScheduleRun.Status.RUNNING) for r in runs)
    latest = runs[0] if runs else None
    unplaced = []
    if latest is not None and latest.unplaced:
        people = User.objects.filter(pk__in=[u["official"] for u in latest.unplaced])
        names = dict(people.values_list("pk", "full_name"))
        institutions = Organisation.objects.filter(pk__in=[u["counterpart"] for u in latest.unplaced])
        orgs = dict(institutions.values_list("pk", "name"))
        unplaced = [
            {
                "official": names.get(u["official"], ""),
                "counterpart": orgs.get(u["counterpart"], ""),
                "reason": bilateral.UNPLACED_REASONS.get(u["reason"], u["reason"]),
            }
            for u in latest.unplaced
        ]
    meetings = (
        Meeting.objects.filter(event=event, source=Meeting.Source.BILATERAL, status__in=Meeting.ACTIVE)
        .select_related("candidate", "organisation", "room")
        .order_by("starts_at", "room__name")
    )
    context = {
        "event": event,
        "slots": dialogue.bilateral_sessions(event=event),
        "runs": runs,
        "running": running,
        "latest": latest,
        "unplaced": unplaced,
        "meetings": meetings,
        "wishes_open": dialogue.wishes_open(event=event),
        "now": timezone.now(),
    }
    return render(request, "matching/dialogue/scheduler.html", context)
