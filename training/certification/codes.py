"""Verification codes as people type them.

Every certificate has two codes, each enough to find it:

- the long code (32 characters of URL-safe base64, 192 random bits) in every verification
  link and QR code. Its alphabet tells capitals from small letters and l from 1 from I, so
  it is taken exactly as written: folding case or look-alikes would make two codes one.
- the short code (16 characters of Crockford base32, 80 random bits), printed under the QR
  code as four groups of four for people who type it. Its alphabet has no I, L, O or U,
  so case, spaces, dashes, I or L for 1 and O for 0 can all be forgiven without ambiguity.

The two never meet: a long code is exactly 32 URL-safe characters, and a short code, however
it is typed, is 16 characters once spaces and dashes are gone.
"""
from __future__ import annotations

import re

from training.models.certificates import SHORT_CODE_ALPHABET, SHORT_CODE_LENGTH

LONG_CODE = re.compile(r"[A-Za-z0-9_-]{32}")
# What people put between groups: spaces of any kind and the dashes a word processor makes.
SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")
LOOK_ALIKES = str.maketrans({"I": "1", "L": "1", "O": "0"})


def is_long_code(text: str) -> bool:
    """Whether the text is a long code as written (the long code is taken exactly)."""
    return LONG_CODE.fullmatch(text) is not None


def short_code(text: str) -> str | None:
    """The stored form of a short code however it was typed (any case, spaces, dashes,
    I or L for 1, O for 0), or None when the text cannot be a short code."""
    if len(text) > 4 * SHORT_CODE_LENGTH:
        return None
    folded = SEPARATORS.sub("", text).upper().translate(LOOK_ALIKES)
    if len(folded) != SHORT_CODE_LENGTH or not all(character in SHORT_CODE_ALPHABET for character in folded):
        return None
    return folded
