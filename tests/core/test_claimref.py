"""One claim numbering for people (A18), both forms accepted on input (issue 14, point 3)."""

from __future__ import annotations

import pytest

from factcheck.claimref import ACCEPTED_FORMS, claim_anchor, claim_label, parse_claim_ref


@pytest.mark.parametrize(
    ("stored", "label"), [("a:0", "A1"), ("a:17", "A18"), ("b:26", "B27"), ("b:999", "B1000")]
)
def test_labels_count_from_one_and_parse_back(stored: str, label: str) -> None:
    assert claim_label(stored) == label
    assert parse_claim_ref(label) == stored
    assert parse_claim_ref(label.lower()) == stored
    assert parse_claim_ref(stored) == stored
    assert parse_claim_ref(f" {stored.upper()} ") == stored


def test_the_anchor_of_a_claim_is_its_label() -> None:
    assert claim_anchor("a:17") == "claim-A18"


def test_anything_else_is_shown_as_it_is() -> None:
    assert claim_label("") == ""
    assert claim_label("x") == "x"
    assert claim_label("a:") == "a:"


@pytest.mark.parametrize("bad", ["C3", "18", "a-17", "A", "", "a:x", "A18b", "a:٣"])
def test_other_input_is_refused_naming_the_accepted_forms(bad: str) -> None:
    with pytest.raises(ValueError) as error:
        parse_claim_ref(bad)
    assert ACCEPTED_FORMS in str(error.value)


def test_a0_is_refused_saying_claims_start_at_one() -> None:
    with pytest.raises(ValueError, match="numbered from 1"):
        parse_claim_ref("A0")
