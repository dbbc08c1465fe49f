"""The board index (the engine's LiveIndex in Django ids): arrivals and departures change only the boards they touch."""

from __future__ import annotations

import pytest

from matching import adapters
from matching.board.index import EngineIndex

PY, DJ, SQL = 1, 2, 3


def _book():
    book = adapters.SkillBook(
        names={PY: "Python", DJ: "Django", SQL: "SQL"}, slugs={PY: "python", DJ: "django", SQL: "sql"}, related={}
    )
    book.taxonomy = adapters.engine_scoring.Taxonomy({})
    return book


def _opening(oid, org, required):
    return adapters.OpeningData(
        id=oid, organisation_id=org, kind="job", country="LT", city="", remote_policy="remote", relocation=True,
        min_years=0, required=required, nice={}, languages_required={}, languages_nice={},
    )  # fmt: skip


def _cand(cid, skills):
    return adapters.CandidateData(
        id=cid, skills=skills, languages={"en": 4}, years=2, seeking="both", cities=[], relocate=True, remote=True
    )


@pytest.fixture
def index(db):
    openings = [_opening(10, 1, {PY: 3}), _opening(20, 2, {SQL: 3})]
    return EngineIndex(openings=openings, book=_book(), n=2, has_meeting=set())


def test_arrivals_change_only_the_boards_they_enter(index):
    assert index.arrive(_cand(1, {PY: 2}), n=2) == {10}
    assert index.arrive(_cand(2, {SQL: 4}), n=2) == {20}
    assert index.arrive(_cand(3, {PY: 5, DJ: 3}), n=2) == {10}
    assert [s.candidate_id for s in index.top(10, 2)] == [3, 1]
    assert index.showing(3) == {10}
    # Board full (n=2) with better people: a weaker arrival changes nothing anyone sees.
    assert index.arrive(_cand(4, {PY: 1}), n=2) == set()
    assert index.leave(3, n=2) == {10}
    assert [s.candidate_id for s in index.top(10, 2)] == [1, 4]
    assert index.top(10, 2, exclude={1})[0].candidate_id == 4
    row = index.top(20, 1)[0]
    assert row.explanation["matched"] == [{"skill": "SQL", "how": "match"}]
