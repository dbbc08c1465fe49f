"""Bearer secrets stored only as their SHA-256: API tokens and scanner-device tokens share this."""

from __future__ import annotations

import hashlib
import secrets


class HashedSecretMixin:
    """A model whose secret is shown once and kept as `key_hash`; subclasses set TOKEN_PREFIX."""

    TOKEN_PREFIX = ""

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def generate(cls) -> str:
        return cls.TOKEN_PREFIX + secrets.token_urlsafe(32)
