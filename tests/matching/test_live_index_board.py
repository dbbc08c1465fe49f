from __future__ import annotations

import pytest

from matching.engine import CandidateProfile, LiveIndex, Opening, SkillRequirement, Taxonomy

PY = Opening(id="py", employer_id="baltic", required=(SkillRequirement("python", 3),))
JS = Opening(id="js", employer_id="tigris", required=(SkillRequirement("javascript", 3),))


def _cand(cid: str, **skills: int) -> CandidateProfile:
    return CandidateProfile(id=cid, skills=skills, consent=True)


@pytest.fixture
def index() -> LiveIndex:
    index = LiveIndex([PY, JS], taxonomy=Taxonomy(), k=2, no_meeting_bonus=5.0)
    for profile in [_cand("ana", python=5), _cand("bilal", javascript=5), _cand("ona", python=2)]:
        index.register(profile)
    return index


def test_registered_candidates_are_not_shown_until_they_arrive(index):
    assert index.top("py") == []


def test_arrival_pushes_only_the_openings_whose_board_changed(index):
    assert index.arrive("ana") == {"py", "js"}  # both boards were empty
    index.arrive("bilal")
    index.arrive("ona")
    # A third, weak python candidate: the js board (k=2) is full of better candidates and stays as it was.
    assert [r.id for r in index.top("js")] == ["bilal", "ana"]
    assert [r.id for r in index.top("py")] == ["ana", "ona"]


def test_a_weak_arrival_changes_no_board(index):
    for cid in ("ana", "bilal", "ona"):
        index.arrive(cid)
    index.register(_cand("dara"))
    assert index.arrive("dara") == set()


def test_leaving_removes_the_candidate_and_refills_from_present_candidates(index):
    for cid in ("ana", "bilal", "ona"):
        index.arrive(cid)
    assert index.leave("ana") == {"py", "js"}
    assert [r.id for r in index.top("py")] == ["ona", "bilal"]
    assert index.leave("ana") == set()


def test_profile_edit_of_a_present_candidate_reranks_them(index):
    for cid in ("ana", "ona"):
        index.arrive(cid)
    assert index.register(_cand("ona", python=5, javascript=5)) == {"py", "js"}
    assert [r.id for r in index.top("js")] == ["ona", "ana"]


def test_withdrawn_consent_removes_the_candidate_from_every_board(index):
    index.arrive("ana")
    index.register(CandidateProfile(id="ana", skills={"python": 5}, consent=False))
    assert index.top("py") == []
    assert index.is_present("ana")


def test_candidates_without_a_meeting_get_the_bonus_in_ranking_only(index):
    index.arrive("ana")
    index.arrive("ona")
    top = index.top("py")
    assert top[0].rank_score - top[0].score == pytest.approx(5.0)
    assert index.set_has_meeting("ana", True) == {"py", "js"}
    ana = next(r for r in index.top("py") if r.id == "ana")
    assert ana.rank_score == pytest.approx(ana.score)


def test_board_and_candidate_lists_are_capped_at_k(index):
    for cid in ("ana", "bilal", "ona"):
        index.arrive(cid)
    assert len(index.top("py", n=20)) == 2
    assert [r.id for r in index.suggestions("ana", n=20)] == ["py", "js"]


def test_explain_gives_the_reasons_for_a_board_entry(index):
    index.arrive("ona")
    explained = index.explain("ona", "py")
    assert [(m.skill, m.candidate_level, m.credit) for m in explained.explanation.below_level] == [("python", 2, 0.75)]
    assert explained.total == pytest.approx(index.top("py")[0].score, abs=1e-4)


def test_replacing_openings_rebuilds_the_boards_for_present_candidates(index):
    index.arrive("ana")
    sql = Opening(id="sql", employer_id="baltic", required=(SkillRequirement("sql", 1),))
    assert index.set_openings([PY, sql]) == {"py", "sql"}
    assert [r.id for r in index.top("py")] == ["ana"]
    assert [r.id for r in index.top("sql")] == ["ana"]
