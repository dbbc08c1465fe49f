"""Vectorised scoring: one candidate against every opening at once. No Django here.

Computes exactly what ``matching.engine.scoring.score`` computes (the tests hold it to that), in float32,
from arrays built once per set of openings. Per arrival the work is a handful of numpy operations
over ~1,000 openings plus a small Python loop over the candidate's own skills.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from matching.engine.scoring import (
    HYBRID_FOR_REMOTE,
    KINDS,
    MAX_LEVEL,
    RELATED_CREDIT,
    RELOCATION_UNSUPPORTED,
    WEIGHTS,
    CandidateProfile,
    Opening,
    SkillRequirement,
    Taxonomy,
    clamp_level,
    level_credit,
)

# LEVEL_CREDIT[have, need] for have 0–5 and need 0–5 (need 0 never occurs: levels are clamped to 1–5).
LEVEL_CREDIT = np.array([[level_credit(h, max(n, 1)) for n in range(MAX_LEVEL + 1)] for h in range(MAX_LEVEL + 1)])
RELATED_LEVEL_CREDIT = RELATED_CREDIT * LEVEL_CREDIT


class _Requirements:
    """A flat list of (skill, level) requirements with the opening each belongs to."""

    def __init__(self, lists: Sequence[tuple[SkillRequirement, ...]], skill_index: dict[str, int]) -> None:
        flat, owner = [], []
        for o, reqs in enumerate(lists):
            for req in reqs:
                flat.append(skill_index[req.skill] * (MAX_LEVEL + 1) + clamp_level(req.level))
                owner.append(o)
        self.flat = np.asarray(flat, dtype=np.int64)
        self.owner = np.asarray(owner, dtype=np.int64)
        counts = np.bincount(self.owner, minlength=len(lists)).astype(np.float64)
        self.has = counts > 0
        self.inv_count = np.where(self.has, 1.0 / np.maximum(counts, 1.0), 0.0)
        self.n = len(lists)

    def fit(self, credit_flat: np.ndarray) -> np.ndarray:
        sums = np.bincount(self.owner, weights=credit_flat[self.flat], minlength=self.n)
        return np.where(self.has, sums * self.inv_count, 1.0)


class ScoreMatrix:
    """Opening features as arrays; ``scores(candidate)`` returns one float32 score per opening (-inf: excluded)."""

    def __init__(self, openings: Sequence[Opening], taxonomy: Taxonomy) -> None:
        self.openings = list(openings)
        self.taxonomy = taxonomy
        n = len(self.openings)
        skills = sorted({r.skill for o in self.openings for r in o.required + o.nice})
        self.skill_index = {s: i for i, s in enumerate(skills)}
        # For each skill a candidate may hold: the opening-relevant skills it is related to.
        self._related_of: dict[str, list[int]] = {}
        for s in skills:
            for r in taxonomy.related(s):
                self._related_of.setdefault(r, []).append(self.skill_index[s])
        self.required = _Requirements([o.required for o in self.openings], self.skill_index)
        self.nice = _Requirements([o.nice for o in self.openings], self.skill_index)

        langs = sorted({lang for o in self.openings for lang in o.languages})
        self.lang_index = {lang: i for i, lang in enumerate(langs)}
        l_idx, l_need, l_owner = [], [], []
        for o, op in enumerate(self.openings):
            for lang, need in op.languages.items():
                l_idx.append(self.lang_index[lang])
                l_need.append(clamp_level(need))
                l_owner.append(o)
        self.l_idx = np.asarray(l_idx, dtype=np.int64)
        self.l_need = np.asarray(l_need, dtype=np.float64)
        self.l_owner = np.asarray(l_owner, dtype=np.int64)
        l_count = np.bincount(self.l_owner, minlength=n).astype(np.float64)
        self.l_has = l_count > 0
        self.l_inv = np.where(self.l_has, 1.0 / np.maximum(l_count, 1.0), 0.0)

        def index_of(values: list[str]) -> tuple[dict[str, int], np.ndarray]:
            table = {v: i for i, v in enumerate(sorted(set(values) - {""}))}
            return table, np.asarray([table.get(v, -1) for v in values], dtype=np.int64)

        self.city_index, self.city = index_of([o.city.casefold() for o in self.openings])
        self.country_index, self.country = index_of([o.country.casefold() for o in self.openings])
        self.employer_index, self.employer = index_of([o.employer_id for o in self.openings])
        self.is_remote = np.array([o.remote == "remote" for o in self.openings], dtype=bool)
        self.is_hybrid = np.array([o.remote == "hybrid" for o in self.openings], dtype=bool)
        self.support = np.array([o.relocation_support for o in self.openings], dtype=bool)
        self.min_years = np.array([max(0.0, o.min_years) for o in self.openings], dtype=np.float64)
        self.kind = np.array([o.kind for o in self.openings], dtype=object)
        self.kind_code = {k: self.kind == k for k in KINDS}
        self._n_levels = MAX_LEVEL + 1

    def __len__(self) -> int:
        return len(self.openings)

    def _credit(self, candidate: CandidateProfile) -> np.ndarray:
        """credit[skill, need]: best credit the candidate earns for each opening-relevant skill and level."""
        credit = np.zeros((len(self.skill_index) + 1, self._n_levels))
        for skill, level in candidate.skills.items():
            have = clamp_level(level)
            i = self.skill_index.get(skill)
            if i is not None:
                np.maximum(credit[i], LEVEL_CREDIT[have], out=credit[i])
            for j in self._related_of.get(skill, ()):
                np.maximum(credit[j], RELATED_LEVEL_CREDIT[have], out=credit[j])
        return credit.ravel()

    def _mask(self, codes: np.ndarray, table: dict[str, int], wanted: frozenset[str], fold: bool) -> np.ndarray:
        ids = [table[v.casefold() if fold else v] for v in wanted if (v.casefold() if fold else v) in table]
        return np.isin(codes, ids) if ids else np.zeros(len(codes), dtype=bool)

    def scores(self, candidate: CandidateProfile) -> np.ndarray:
        n = len(self.openings)
        if not candidate.consent or n == 0:
            return np.full(n, -np.inf, dtype=np.float32)
        credit = self._credit(candidate)
        total = WEIGHTS["required_skills"] * self.required.fit(credit)
        total += WEIGHTS["nice_skills"] * self.nice.fit(credit)

        levels = np.zeros(len(self.lang_index) + 1)
        for lang, level in candidate.languages.items():
            if lang in self.lang_index and level > 0:
                levels[self.lang_index[lang]] = clamp_level(level)
        have = levels[self.l_idx]
        missing = np.bincount(self.l_owner, weights=(have <= 0).astype(np.float64), minlength=n) > 0
        lang_fit = np.bincount(self.l_owner, weights=np.minimum(1.0, have / self.l_need), minlength=n)
        total += WEIGHTS["languages"] * np.where(self.l_has, lang_fit * self.l_inv, 1.0)

        city = self._mask(self.city, self.city_index, candidate.cities, fold=True)
        moves = self._mask(self.country, self.country_index, candidate.relocate_to, fold=True)
        loc = np.where(self.is_remote | city | (moves & self.support), 1.0, 0.0)
        loc = np.maximum(loc, np.where(moves, RELOCATION_UNSUPPORTED, 0.0))
        if candidate.remote:
            loc = np.maximum(loc, np.where(self.is_hybrid, HYBRID_FOR_REMOTE, 0.0))
        total += WEIGHTS["location"] * loc

        years = max(0.0, candidate.years_experience)
        with np.errstate(divide="ignore", invalid="ignore"):
            exp = np.where(self.min_years > 0, np.minimum(1.0, years / self.min_years), 1.0)
        total += WEIGHTS["experience"] * exp
        if candidate.seeks:
            kind_ok = np.zeros(n, dtype=bool)
            for k in candidate.seeks:
                kind_ok |= self.kind_code.get(k, self.kind == k)
            total += WEIGHTS["kind"] * kind_ok
        else:
            total += WEIGHTS["kind"]
        half = WEIGHTS["interest"] / 2
        total += half * self._mask(self.employer, self.employer_index, candidate.starred, fold=False)
        total += half * self._mask(self.employer, self.employer_index, candidate.shortlisted_by, fold=False)
        total[missing] = -np.inf
        return total.astype(np.float32)
