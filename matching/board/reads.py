"""What employers and candidates see of the live board: read from this process's index and the
roster, never written. Threads, locks and caches: see matching/board/__init__.py."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from events.models import Event
from matching import adapters, selectors
from matching.board.index import UNREAD, index_for, lock
from matching.board.roster import BoardState, Roster, board_size, board_state
from realtime.groups import employer_board_stream
from realtime.publish import current_seq


def present_candidate_ids(*, event: Event) -> set[int]:
    return adapters.present_user_ids(event)


def ranked_for_organisation(*, event: Event, organisation_id: int) -> list[tuple[int, float]]:
    """Present candidates and their best score over this employer's openings, best first."""
    best: dict[int, float] = {}
    with lock:  # the index is shared by request threads, the check-in hook and the board pushes
        index = index_for(event)
        for oid, op in index.openings.items():
            if op.organisation_id != organisation_id:
                continue
            for s in index.top(oid, len(index.present)):
                best[s.candidate_id] = max(best.get(s.candidate_id, 0.0), s.score)
    hidden = {
        cid
        for cid, kind in selectors.marks_for_org_id(event=event, organisation_id=organisation_id).items()
        if kind == "not_now"
    }
    return sorted(((c, s) for c, s in best.items() if c not in hidden), key=lambda cs: -cs[1])


def board_for(
    *, event: Event, organisation_id: int, opening_ids: set[int] | None = None, sync: bool = True
) -> dict[str, Any]:
    """The board an employer sees: per opening, the present candidates ranked, with the reasons.

    `sync=False` when the caller has just brought the index up to date (a push after an arrival)."""
    return boards_for(event=event, wanted={organisation_id: opening_ids}, sync=sync)[organisation_id]


def boards_for(
    *,
    event: Event,
    wanted: dict[int, set[int] | None],
    sync: bool = True,
    with_seq: bool = True,
    roster: Roster | None = None,
    state: BoardState | None = None,
    index_version: int | None = UNREAD,
) -> dict[int, dict[str, Any]]:
    """Several employers' boards (organisation id -> the openings to show, None for all) in one go:
    what they share (the board size, meetings, marks, names) is read once for all of them.
    `with_seq=False` for pushes, whose messages carry their own seq; pushes pass the event's
    `roster` (the board size, the candidates' names) and the board `state` they keep."""
    index = index_for(event, sync=sync, version=index_version)
    n = roster.board_size if roster is not None else board_size(event)
    if state is None:
        state = board_state(event, list(wanted))
    marks, meeting_counts, with_org = state.marks, state.meeting_counts, state.with_org
    now, tz = timezone.now(), event.tzinfo
    with lock:  # the index is shared by request threads, the check-in hook and the board pushes
        tops = {
            (op.organisation_id, oid): index.top(
                oid,
                n,
                exclude={c for c, kind in marks.get(op.organisation_id, {}).items() if kind == "not_now"},
            )
            for oid, op in sorted(index.openings.items())
            if op.organisation_id in wanted
            and (wanted[op.organisation_id] is None or oid in wanted[op.organisation_id])
        }
        present = len(index.present)
    boards = {
        org_id: {
            "event": event.slug,
            "organisation_id": org_id,
            "seq": current_seq(employer_board_stream(event.slug, org_id)) if with_seq else None,
            "present": present,
            "openings": [],
        }
        for org_id in wanted
    }
    for (org_id, oid), top in tops.items():
        org_marks = marks.get(org_id, {})
        rows = []
        for s in top:
            # The index ranks with the engine's no-meeting bonus (Suggestion.rank_score): its order is the board's.
            rows.append(
                {
                    "candidate_id": s.candidate_id,
                    "name": "",
                    "score": s.score,
                    "rank_score": s.rank_score,
                    "explanation": s.explanation,
                    "shortlisted": org_marks.get(s.candidate_id) == "shortlist",
                    "meeting_with_us": (org_id, s.candidate_id) in with_org,
                    "meetings": meeting_counts.get(s.candidate_id, 0),
                    "request": _request(state.pending.get((org_id, s.candidate_id)), now, tz),
                }
            )
        rows.sort(key=lambda r: (-r["rank_score"], r["candidate_id"]))
        boards[org_id]["openings"].append({"opening_id": oid, "candidates": rows[:n]})
    # Names of the people shown only, not of everyone present.
    shown_rows = [row for b in boards.values() for o in b["openings"] for row in o["candidates"]]
    known = roster.names if roster is not None else {}
    unknown = {r["candidate_id"] for r in shown_rows} - known.keys()
    names = adapters.names_of(unknown)
    names.update(known)
    for row in shown_rows:
        row["name"] = names.get(row["candidate_id"], "")
    return boards


def _request(pending: tuple[int, str, Any] | None, now: Any, tz: Any) -> dict[str, Any] | None:
    """The row's pending request as the board shows it (`sent_by`: who waits for whom), or None.
    A request past its expiry reads as closed here, before the sweep writes it down. `until` is the
    expiry in the event's zone, in digits any language reads ("14:30", or "06.12 14:30" on another
    day), so a pushed row and the server's page say the same."""
    if pending is None or pending[2] <= now:
        return None
    pk, sent_by, expires_at = pending
    local = timezone.localtime(expires_at, tz)
    until = f"{local:%H:%M}" if local.date() == timezone.localtime(now, tz).date() else f"{local:%d.%m %H:%M}"
    return {"id": pk, "sent_by": sent_by, "expires_at": expires_at.isoformat(), "until": until}


def matches_for_candidate(*, event: Event, user_id: int) -> list[dict[str, Any]]:
    """The candidate's own list: openings at the event that fit them, best first, with the reasons for them."""
    cand = adapters.candidates_data([user_id]).get(user_id)
    if cand is None:
        return []
    # Employers' shortlists are theirs: the candidate-facing score leaves them out.
    cand.starred = adapters.frozen(selectors.stars_of_many(event=event, candidate_ids={user_id}).get(user_id, ()))
    book = adapters.skill_book()
    out = []
    for opening in selectors.openings_for(event=event):
        data = adapters.opening_data(opening)
        s = adapters.score_one(cand, data, book=book)
        # The same bar as the boards: an opening the candidate would never be shown for is no match.
        if s is None or s.score < adapters.MIN_BOARD_SCORE or not adapters.shows_required_skill(cand, data, book):
            continue
        e = s.explanation
        out.append(
            {
                "opening_id": opening.pk,
                "title": opening.title,
                "organisation": {"id": opening.organisation_id, "name": opening.organisation.name},
                "kind": opening.kind,
                "score": s.score,
                "you_have": [m["skill"] for m in e["matched"]],
                "to_learn": [m["skill"] for m in e["missing"]] + [m["skill"] for m in e["partial"]],
                "factors": dict(e["factors"]),
                "starred": opening.organisation_id in cand.starred,
            }
        )
    out.sort(key=lambda r: (-r["score"], r["opening_id"]))
    return out[: board_size(event)]
