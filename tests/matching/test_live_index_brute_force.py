"""The live index against a brute-force ranking after every step of random fair-day sequences."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.engine import CandidateProfile, LiveIndex, Opening, SkillRequirement, Taxonomy

SKILLS = ["python", "django", "flask", "sql"]
OPENINGS = [
    Opening(id="o0", employer_id="e0", required=(SkillRequirement("python", 3),)),
    Opening(id="o1", employer_id="e0", required=(SkillRequirement("django", 2),), languages={"en": 2}),
    Opening(id="o2", employer_id="e1", nice=(SkillRequirement("sql", 4),), remote="remote"),
    Opening(id="o3", employer_id="e1", kind="internship", min_years=2),
]
CANDIDATE_IDS = [f"c{i}" for i in range(8)]


def _profile(cid: str, skills: dict[str, int], en: int, years: float, consent: bool) -> CandidateProfile:
    # Few distinct values, so ties in score are common and the id tie-break is exercised.
    return CandidateProfile(
        id=cid, skills=skills, languages={"en": en} if en else {}, years_experience=years, consent=consent
    )


profiles = st.builds(
    _profile,
    st.sampled_from(CANDIDATE_IDS),
    st.dictionaries(st.sampled_from(SKILLS), st.integers(1, 5), max_size=2),
    st.integers(0, 3),
    st.sampled_from([0.0, 2.0]),
    st.sampled_from([True, True, True, False]),
)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("register"), profiles),
        st.tuples(st.just("arrive"), st.sampled_from(CANDIDATE_IDS)),
        st.tuples(st.just("leave"), st.sampled_from(CANDIDATE_IDS)),
        st.tuples(st.just("meeting"), st.sampled_from(CANDIDATE_IDS), st.booleans()),
    ),
    max_size=40,
)


def _brute_top(index: LiveIndex, k: int) -> dict[str, list[tuple[str, float]]]:
    tops = {}
    for o, oid in enumerate(index.opening_ids):
        ranked = []
        for cid in CANDIDATE_IDS:
            if index.is_present(cid):
                row = index.matrix.scores(index.profiles[cid])
                bonus = np.float32(0.0) if cid in index.has_meeting else index.bonus
                if np.isfinite(row[o]):
                    ranked.append((-float(row[o] + bonus), cid))
        tops[oid] = [(cid, -neg) for neg, cid in sorted(ranked)[:k]]
    return tops


def _visible(index: LiveIndex) -> dict[str, list[tuple[str, float]]]:
    return {oid: [(r.id, r.rank_score) for r in index.top(oid, n=index.k)] for oid in index.opening_ids}


@settings(max_examples=300, deadline=None)
@given(steps, st.integers(1, 3), st.integers(0, 2))
def test_top_lists_and_change_sets_match_brute_force(sequence, k, buffer):
    index = LiveIndex(OPENINGS, taxonomy=Taxonomy({"django": ["flask"]}), k=k, buffer=buffer)
    for cid in CANDIDATE_IDS:
        index.register(_profile(cid, {}, 1, 0.0, True))
    for step in sequence:
        before = _visible(index)
        if step[0] == "register":
            changed = index.register(step[1])
        elif step[0] == "arrive":
            changed = index.arrive(step[1])
        elif step[0] == "leave":
            changed = index.leave(step[1])
        else:
            changed = index.set_has_meeting(step[1], step[2])
        after = _visible(index)
        assert after == _brute_top(index, k)
        assert changed == {oid for oid in index.opening_ids if before[oid] != after[oid]}
