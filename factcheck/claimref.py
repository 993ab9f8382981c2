"""How people name claims: ``A18`` is the 18th claim of article A.

Projects store claim ids as ``a:17`` (article id, colon, index from 0) and keep doing
so, so files already saved open unchanged. Everything a person reads — the window,
reports, CSV, command output, ClaimReview URLs — shows :func:`claim_label`; everything
a person types goes through :func:`parse_claim_ref`, which takes both forms.
"""

from __future__ import annotations

import re

#: What :func:`parse_claim_ref` accepts, for error messages.
ACCEPTED_FORMS = "A18 (the 18th claim of article A, as the app and reports number them) or a:17"

_LABEL = re.compile(r"^\s*([AaBb])\s*0*([0-9]{1,9})\s*$")
_STORED = re.compile(r"^\s*([AaBb])\s*:\s*([0-9]{1,9})\s*$")


def claim_label(claim_id: str) -> str:
    """``a:17`` → ``A18`` (numbered from 1); anything else is given back as it is."""
    side, _, number = claim_id.partition(":")
    if side and number.isdigit() and number.isascii():
        return f"{side.upper()}{int(number) + 1}"
    return claim_id


def claim_anchor(claim_id: str) -> str:
    """The fragment naming a claim in a report or on a reviewer's page: ``claim-A18``."""
    return "claim-" + claim_label(claim_id)


def parse_claim_ref(text: str) -> str:
    """``A18``, ``a18`` or ``a:17`` → the stored id ``a:17``.

    Raises ``ValueError`` saying which forms are accepted. Whether the claim exists
    is for the caller to check (it knows the project).
    """
    label = _LABEL.match(text)
    if label is not None:
        number = int(label.group(2))
        if number == 0:
            raise ValueError(
                f"there is no claim {text.strip()!r}: claims are numbered from 1 "
                f"(give {ACCEPTED_FORMS})"
            )
        return f"{label.group(1).lower()}:{number - 1}"
    stored = _STORED.match(text)
    if stored is not None:
        return f"{stored.group(1).lower()}:{int(stored.group(2))}"
    raise ValueError(f"{text.strip()!r} is not a claim: give {ACCEPTED_FORMS}")
