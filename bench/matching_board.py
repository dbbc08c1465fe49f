"""Django side of the live board: how long one arrival takes in the board index (matching/board/index.py).

    .venv/bin/python bench/matching_board.py [openings] [present]

Synthetic openings and candidates over the shipped taxonomy's slugs, scored with the engine's
scorer. No database: the index works on plain data once the board module has loaded it.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

# Run as a script, bench/ is first on the path, where bench/calendar.py would shadow the stdlib module.
sys.path[0] = str(Path(__file__).resolve().parent.parent)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from matching import adapters  # noqa: E402
from matching.board.index import EngineIndex  # noqa: E402
from matching.taxonomy import read_taxonomy  # noqa: E402


def main(n_openings: int = 300, n_present: int = 2000, seed: int = 7) -> None:
    rng = random.Random(seed)
    rows = read_taxonomy()
    ids = {row["slug"]: i + 1 for i, row in enumerate(rows)}
    related = {ids[r["slug"]]: {ids[x] for x in r["related"]} for r in rows}
    book = adapters.SkillBook(
        names={ids[r["slug"]]: r["name"] for r in rows}, slugs={i: s for s, i in ids.items()}, related=related
    )
    book.taxonomy = adapters.engine_scoring.Taxonomy({r["slug"]: r["related"] for r in rows})
    skill_ids = list(ids.values())
    openings = [
        adapters.OpeningData(
            id=o,
            organisation_id=o // 3 + 1,
            kind=rng.choice(["job", "internship"]),
            country=rng.choice(["LT", "IQ"]),
            city=rng.choice(["", "baghdad", "erbil"]),
            remote_policy=rng.choice(["onsite", "hybrid", "remote"]),
            relocation=rng.random() < 0.5,
            min_years=rng.choice([0, 1, 2, 3]),
            required={s: rng.randint(2, 4) for s in rng.sample(skill_ids, 3)},
            nice=dict.fromkeys(rng.sample(skill_ids, 2), 2),
            languages_required={"en": 3} if rng.random() < 0.5 else {},
            languages_nice={},
        )
        for o in range(1, n_openings + 1)
    ]

    def candidate(c: int) -> adapters.CandidateData:
        return adapters.CandidateData(
            id=c,
            skills={s: rng.randint(1, 5) for s in rng.sample(skill_ids, rng.randint(3, 10))},
            languages={"ar": 5, "en": rng.randint(1, 5)},
            years=rng.randint(0, 8),
            seeking=rng.choice(["job", "internship", "both"]),
            cities=[rng.choice(["baghdad", "erbil", "basra"])],
            relocate=rng.random() < 0.6,
            remote=rng.random() < 0.5,
        )

    index = EngineIndex(openings=openings, book=book, n=20, has_meeting=set())
    t0 = time.perf_counter()
    index.arrive_many([candidate(c) for c in range(1, n_present + 1)], n=20)
    fill = time.perf_counter() - t0
    times, pushes = [], []
    for c in range(n_present + 1, n_present + 501):
        cand = candidate(c)
        t = time.perf_counter()
        changed = index.arrive(cand, n=20)
        times.append((time.perf_counter() - t) * 1000)
        pushes.append(len({index.openings[o].organisation_id for o in changed}))
    times.sort()
    print(f"index: {type(index).__name__}")
    print(f"{n_openings} openings, {n_present} present; filling took {fill:.1f} s")
    print(
        f"arrival: median {statistics.median(times):.2f} ms, p99 {times[int(len(times) * 0.99)]:.2f} ms; "
        f"employers pushed per arrival: median {statistics.median(pushes):.0f}, max {max(pushes)}"
    )
    t = time.perf_counter()
    for o in range(1, n_openings + 1):
        index.top(o, 20)
    print(f"top-20 read: {(time.perf_counter() - t) / n_openings * 1e6:.1f} µs per opening")


if __name__ == "__main__":
    main(*[int(a) for a in sys.argv[1:3]])
