"""Members of one employer record the same first stage at the same moment: one outcome, one change.

On PostgreSQL the losers of the insert hit the unique constraint and the service reads the row
again (without that retry this test fails there with an IntegrityError, a 500); SQLite's IMMEDIATE
transactions take turns, so there it checks the result only.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from events.exceptions import InvalidTransition
from events.models import Registration
from matching.outcome_models import Outcome, OutcomeChange
from matching.outcomes import outcome_record
from tests.factories import RegistrationFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_simultaneous_first_records_make_one_outcome_and_refuse_the_second(actors):
    colleagues = [actors.employer_a]
    for i in range(3):
        colleague = UserFactory(email=f"colleague{i}@baltic.example", organisation=actors.org_a)
        RegistrationFactory(
            event=actors.event, user=colleague, role=Registration.Role.EMPLOYER, organisation=actors.org_a
        )
        colleagues.append(colleague)
    barrier = threading.Barrier(len(colleagues))
    results: list[object] = []

    def record(user) -> None:
        try:
            barrier.wait()
            results.append(
                outcome_record(event=actors.event, actor=user, candidate_id=actors.candidate.pk, stage="interviewed")
            )
        except BaseException as e:  # collected and asserted below
            results.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(user,)) for user in colleagues]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    saved = [r for r in results if isinstance(r, Outcome)]
    refused = [r for r in results if isinstance(r, InvalidTransition)]
    assert (len(saved), len(refused)) == (1, len(colleagues) - 1), results
    assert Outcome.objects.count() == 1
    assert list(OutcomeChange.objects.values_list("from_stage", "to_stage")) == [("", "interviewed")]
