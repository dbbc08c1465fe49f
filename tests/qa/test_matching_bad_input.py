"""Hand-edited matching URLs: an id beyond any database integer is "not found", never a 500.

SQLite refuses to bind an integer past 64 bits (OverflowError) in foreign-key lookups.
"""

from __future__ import annotations

import pytest

HUGE = "99999999999999999999"


@pytest.mark.parametrize("method", ["get", "post"])
def test_lead_page_of_an_impossible_candidate_id_is_not_found(actors, client, method):
    client.force_login(actors.employer_a)

    response = getattr(client, method)(f"/matching/{actors.event.slug}/leads/{HUGE}/", {"rating": "3", "note": "x"})

    assert response.status_code == 404


@pytest.mark.parametrize("who", ["employer_a", "candidate"])
def test_cv_of_an_impossible_user_id_is_not_found(actors, client, who):
    client.force_login(getattr(actors, who))

    response = client.get(f"/matching/cv/{HUGE}/")

    assert response.status_code == 404


def test_lead_page_of_a_real_candidate_still_opens(actors, client):
    client.force_login(actors.employer_a)

    response = client.get(f"/matching/{actors.event.slug}/leads/{actors.candidate.pk}/")

    assert response.status_code == 200
    assert 'name="rating"' in response.content.decode()


def test_a_cv_whose_file_is_gone_from_storage_is_not_found_not_a_server_error(actors, client):
    from matching.models import CandidateProfile

    # The row still names a file the storage no longer has (a restored database, a lost volume).
    profile, _ = CandidateProfile.objects.get_or_create(user=actors.candidate)
    CandidateProfile.objects.filter(pk=profile.pk).update(cv="cv/gone/never-uploaded.pdf")
    client.force_login(actors.candidate)

    response = client.get(f"/matching/cv/{actors.candidate.pk}/")

    assert response.status_code == 404
