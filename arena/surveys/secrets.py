"""A card's two one-time secrets, and the keyed digests of client addresses and devices.

- The QR link /q/<secret> carries 144 random bits (18 bytes, 24 URL-safe characters).
- The typed code has 8 random characters from a 31-character alphabet without look-alikes
  (no 0/O, 1/I/L) and a 9th check character: 31^8 ≈ 8.5 × 10^11 codes (39.6 bits). The check
  (weighted sum mod 31, 31 is prime) catches every single mistyped character and every swap of
  two neighbours before the code is looked up.
- Only SHA-256 digests of both are stored. Client addresses and device cookies are kept only as
  HMAC-SHA256(server key, …) truncated to 128 bits, for stuffing checks; they cannot be turned
  back into an address without the server key and a search over every address.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # 31 characters, prime: the check works mod 31
CODE_RANDOM = 8
CODE_LENGTH = CODE_RANDOM + 1
QR_BYTES = 18  # 144 bits
assert len(ALPHABET) == 31 and len(set(ALPHABET)) == 31


def qr_secret() -> str:
    """A fresh secret for a card's /q/<secret> link (144 bits)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(QR_BYTES)).decode()


def check_char(body: str) -> str:
    """The check character of a code's 8 random characters."""
    total = sum((i + 1) * ALPHABET.index(c) for i, c in enumerate(body))
    return ALPHABET[total % 31]


def typed_code() -> str:
    """A fresh typed code: 8 random characters and the check character (9 in all)."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(CODE_RANDOM))
    return body + check_char(body)


def pretty(code: str) -> str:
    """The code as printed: three groups of three (ABC-DEF-GHJ)."""
    return "-".join(code[i : i + 3] for i in range(0, len(code), 3))


def normalise(raw: str) -> str:
    """What a person typed, as a code: upper case, spaces and dashes dropped."""
    return "".join(c for c in raw.upper() if c not in "- 　—－")


def well_formed(code: str) -> bool:
    """Nine characters of the alphabet whose last one is the check of the others."""
    return (
        len(code) == CODE_LENGTH
        and all(c in ALPHABET for c in code)
        and check_char(code[:CODE_RANDOM]) == code[CODE_RANDOM]
    )


def digest(secret: str) -> str:
    """The stored form of a card secret (SHA-256, hex)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def keyed(key: bytes, kind: str, value: str) -> str:
    """A client address or device id as kept for abuse checks: 128 bits of HMAC-SHA256."""
    if not value:
        return ""
    return hmac.new(key, f"survey:{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:32]
