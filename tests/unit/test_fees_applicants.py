"""Fees (国办函〔2020〕109号) and applicant identity documents (GB 11643, GB 32100). Pure."""

from __future__ import annotations

import pytest

from workflow.cases.applicants import (
    KIND_LABELS,
    ApplicantKind,
    check_identity,
    credit_code_ok,
    mask_id,
    resident_id_ok,
)
from workflow.cases.fees import FeeLine, compute_fee, per_count_fee, per_count_total, per_page_fee
from workflow.errors import InvalidInput

# ---------------------------------------------------------------------------
# Fees by volume: <=30 free; 31-100 ¥10; 101-200 ¥20; >200 ¥40 a page


@pytest.mark.parametrize(
    ("pages", "amount"),
    [
        (1, 0),
        (30, 0),
        (31, 10),
        (32, 20),
        (100, 700),  # 70 x 10
        (101, 720),  # 700 + 20
        (150, 1700),  # 700 + 50 x 20
        (200, 2700),  # 700 + 100 x 20
        (201, 2740),  # 2700 + 40
        (1500, 54700),  # 2700 + 1300 x 40 (the figure of ogi-rules.md §6)
    ],
)
def test_per_page_fee(pages: int, amount: int) -> None:
    fee = per_page_fee(pages)
    assert fee.amount == amount
    assert fee.method == "per_page"
    assert fee.quantity == pages
    assert compute_fee("per_page", pages).amount == amount


def test_per_page_fee_lines() -> None:
    assert per_page_fee(30).lines == ()
    assert per_page_fee(101).lines == (FeeLine(31, 100, 10, 70), FeeLine(101, 101, 20, 1))
    assert per_page_fee(1500).lines == (
        FeeLine(31, 100, 10, 70),
        FeeLine(101, 200, 20, 100),
        FeeLine(201, 1500, 40, 1300),
    )
    assert [line.amount for line in per_page_fee(1500).lines] == [700, 2000, 52000]


# ---------------------------------------------------------------------------
# Fees by count: 1-10 free; 11-30 ¥100; 31-40 ¥200; 41-50 ¥300; ...


@pytest.mark.parametrize(
    ("nth", "amount"),
    [
        (1, 0),
        (10, 0),
        (11, 100),
        (30, 100),
        (31, 200),
        (40, 200),
        (41, 300),
        (50, 300),
        (51, 400),
        (100, 800),  # band 91-100: 31-40 is 200, each further band +100: 200 + 6 x 100
    ],
)
def test_per_count_fee(nth: int, amount: int) -> None:
    fee = per_count_fee(nth)
    assert fee.amount == amount
    assert fee.method == "per_count"
    assert fee.quantity == nth
    assert compute_fee("per_count", nth).amount == amount
    assert fee.lines == ((FeeLine(nth, nth, amount, 1),) if amount else ())


@pytest.mark.parametrize(
    ("applications", "total"),
    [
        (0, 0),
        (10, 0),
        (11, 100),
        (30, 2000),  # 20 x 100
        (35, 3000),  # 2000 + 5 x 200
        (40, 4000),  # 2000 + 10 x 200
        (41, 4300),  # + 300
    ],
)
def test_per_count_total(applications: int, total: int) -> None:
    assert per_count_total(applications) == total


@pytest.mark.parametrize("func", [per_count_fee, per_page_fee])
@pytest.mark.parametrize("quantity", [0, -1])
def test_fee_quantity_must_be_positive(func, quantity: int) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        func(quantity)


@pytest.mark.parametrize(("method", "quantity"), [("per_count", 0), ("per_page", 0), ("both", 40), ("", 40)])
def test_compute_fee_errors(method: str, quantity: int) -> None:
    with pytest.raises(ValueError):
        compute_fee(method, quantity)


# ---------------------------------------------------------------------------
# Resident identity card numbers, GB 11643-1999 (ISO 7064 MOD 11-2)

# The first is the standard's example; the others were computed by hand with the weights
# 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 and the check table 1 0 X 9 8 7 6 5 4 3 2, e.g.
# 44030419900101001?: 4*7+4*9+0+3*5+0+4*4+1*2+9*1+9*6+0+0+1*9+0+1*5+0+0+1*2 = 176, 176 % 11 = 0 -> "1".
VALID_IDS = ["11010519491231002X", "440304199001010011", "320102198808081237", "510108197709154428"]


@pytest.mark.parametrize("number", VALID_IDS)
def test_valid_resident_ids(number: str) -> None:
    assert resident_id_ok(number) is True
    assert check_identity("natural_person", number) == number


def test_lowercase_x_and_spaces_are_normalised() -> None:
    assert resident_id_ok("11010519491231002x") is True
    assert check_identity("natural_person", "  11010519491231002x ") == "11010519491231002X"


@pytest.mark.parametrize(
    "number",
    [
        "110105194912310021",  # check digit should be X
        "440304199001010012",
        "320102198808081230",
        "51010819770915442X",
        "11010519491231002",  # 17 characters
        "11010519491231002XX",  # 19 characters
        "1101051949123100AX",  # letter in the body
        "110105491231002",  # old 15-digit number
    ],
)
def test_invalid_resident_ids(number: str) -> None:
    assert resident_id_ok(number) is False
    with pytest.raises(InvalidInput) as info:
        check_identity("natural_person", number)
    assert info.value.field == "id_number"
    assert info.value.rule == "applicant.id_checksum"


def test_superscript_digit_is_refused_as_invalid_input() -> None:
    with pytest.raises(InvalidInput) as info:
        check_identity("natural_person", "1101051949123100²X")
    assert info.value.field == "id_number"


def test_full_width_digits_are_normalised_or_refused() -> None:
    fullwidth = "１１０１０５１９４９１２３１００２X"
    try:
        got = check_identity("natural_person", fullwidth)
    except InvalidInput as exc:
        assert exc.field == "id_number"
    else:
        assert got == "11010519491231002X"


# ---------------------------------------------------------------------------
# Unified social credit codes, GB 32100-2015 (MOD 31)

# 91350100M000100Y43 is the commonly cited example; 91110000600037341L was computed with the
# weights 3^i mod 31 (1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28) and check = 31 - sum % 31.
VALID_CODES = ["91350100M000100Y43", "91110000600037341L"]


@pytest.mark.parametrize("code", VALID_CODES)
def test_valid_credit_codes(code: str) -> None:
    assert credit_code_ok(code) is True
    assert credit_code_ok(code.lower()) is True
    assert check_identity("commercial_enterprise", code.lower()) == code


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y44",  # check character altered
        "91350100M000100Y4A",
        "91350100M000101Y43",  # body altered
        "91350100M000100I43",  # I is not in the alphabet
        "91350100M000100O43",  # nor O
    ],
)
def test_invalid_credit_codes(code: str) -> None:
    assert credit_code_ok(code) is False
    with pytest.raises(InvalidInput) as info:
        check_identity("research_institution", code)
    assert info.value.field == "id_number"
    assert info.value.rule == "applicant.credit_code_checksum"


def test_credit_code_length() -> None:
    assert credit_code_ok("91350100M000100Y4") is False
    assert credit_code_ok("91350100M000100Y433") is False


# ---------------------------------------------------------------------------
# Kinds, missing numbers, masking


@pytest.mark.parametrize("kind", ["person", "", "NATURAL_PERSON", "企业"])
def test_unknown_kind_refused(kind: str) -> None:
    with pytest.raises(InvalidInput) as info:
        check_identity(kind, "11010519491231002X")
    assert info.value.rule == "applicant.kind"
    assert info.value.field == "applicant_type"
    assert "natural_person" in info.value.message


@pytest.mark.parametrize("kind", list(ApplicantKind))
def test_every_kind_accepted_without_a_number(kind: ApplicantKind) -> None:
    assert check_identity(kind.value, None) is None
    assert check_identity(kind.value, "") is None


def test_six_kinds_with_labels() -> None:
    assert len(ApplicantKind) == 6
    assert set(KIND_LABELS) == set(ApplicantKind)
    assert KIND_LABELS[ApplicantKind.NATURAL_PERSON] == "自然人"


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("11010519491231002X", "110105********002X"),
        ("91350100M000100Y43", "913501********0Y43"),
        ("E1234567890", "E1*******90"),  # passports and short codes: two kept at each end
        ("12345678", "12****78"),
        ("1234", "****"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_id(number: str | None, masked: str) -> None:
    assert mask_id(number) == masked


@pytest.mark.parametrize("number", ["E12345678", "1234567890"])
def test_mask_id_never_reveals_a_short_number(number: str) -> None:
    masked = mask_id(number)
    assert len(masked) == len(number)
    assert "*" in masked
    assert masked != number
