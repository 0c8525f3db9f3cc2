"""Room codes students type and the instructor's secret, kept only as a hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets

# No look-alikes: 0/O, 1/I/L are missing (and so is U, which reads as V on a projector).
ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
CODE_LENGTH = 6
NICKNAME_MAX = 32  # characters: a first name and a surname
SECRET_BYTES = 32


def new_code() -> str:
    """A fresh room code: 6 characters from ALPHABET (30^6, about 7e8 codes)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: object) -> str:
    """What a student typed, as a code: spaces dropped, upper case ("ab c2 34" -> "ABC234")."""
    return "".join(str(text or "").split()).upper()


def is_code(text: str) -> bool:
    return len(text) == CODE_LENGTH and all(c in ALPHABET for c in text)


def new_secret() -> str:
    """The instructor's secret: shown to no one, held in the instructor's server-side session."""
    return secrets.token_urlsafe(SECRET_BYTES)


def hash_secret(secret: str) -> str:
    """SHA-256 of a 256-bit random secret: no salt or slow hash needed, nothing to guess."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def secret_matches(secret: object, stored_hash: str) -> bool:
    if not isinstance(secret, str) or not secret:
        return False
    return hmac.compare_digest(hash_secret(secret), stored_hash)


def clean_nickname(text: object) -> str:
    """A nickname as given (kept as typed, escaped only where shown), trimmed and bounded."""
    name = " ".join(str(text or "").split())
    return name[:NICKNAME_MAX]
