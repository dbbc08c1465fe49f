"""Organisers see every consent's history in the admin, and cannot give or change one."""

from __future__ import annotations

import pytest
from django.urls import reverse

from events import consents
from events.models import Consent

pytestmark = pytest.mark.django_db


def test_organisers_read_consent_history_but_cannot_give_or_change_it(actors, admin_client):
    consents.consent_withdraw(
        user=actors.candidate, actor=actors.candidate, event=actors.event, purpose="share_profile", source="page"
    )
    client = admin_client
    listing = client.get(reverse("admin:events_consent_changelist"))
    assert listing.status_code == 200
    assert "Zainab Candidate" in listing.content.decode()
    row = Consent.objects.filter(user=actors.candidate, purpose="share_profile").first()
    assert row.withdrawn_at is not None
    assert client.get(reverse("admin:events_consent_add")).status_code == 403
    page = client.get(reverse("admin:events_consent_change", args=[row.pk]))
    assert page.status_code == 200 and 'name="withdrawn_at"' not in page.content.decode()
    assert client.post(reverse("admin:events_consent_delete", args=[row.pk]), {"post": "yes"}).status_code == 403
    assert Consent.objects.filter(pk=row.pk).exists()
