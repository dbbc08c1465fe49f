"""API tokens: shown once, known by their first eight characters, revoked one person's at a time."""

from __future__ import annotations

from events import services
from events.models import ApiToken
from tests.factories import UserFactory


def active(token: ApiToken) -> bool:
    token.refresh_from_db()
    return token.revoked_at is None


def test_a_new_token_is_stored_as_a_hash_and_known_by_its_first_eight_characters(db):
    user = UserFactory()
    token, raw = services.api_token_create(user=user, name="laptop")
    assert (token.user, token.name, token.prefix) == (user, "laptop", raw[:8])
    assert token.key_hash == ApiToken.hash(raw) and raw not in token.key_hash
    assert active(token)
    unnamed, _raw = services.api_token_create(user=user)
    assert unnamed.name == ""


def test_revoking_by_prefix_revokes_only_that_persons_matching_token(db):
    alice, bob = UserFactory(), UserFactory()
    first, raw = services.api_token_create(user=alice)
    second, _raw = services.api_token_create(user=alice)
    bobs, _raw = services.api_token_create(user=bob)
    assert services.api_token_revoke(user=alice, prefix=bobs.prefix) == 0
    # The whole token names it as well as its prefix does.
    assert services.api_token_revoke(user=alice, prefix=raw) == 1
    assert (active(first), active(second), active(bobs)) == (False, True, True)
    # Revoking it again revokes nothing.
    assert services.api_token_revoke(user=alice, prefix=raw[:8]) == 0
