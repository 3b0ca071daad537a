"""身份证号 rules (GB 11643-1999): what a cadre's roster accepts, repairs and refuses."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldvisit import idcard
from fieldvisit.idcard import IdNumberError

TODAY = date(2026, 1, 1)
CJK = re.compile(r"[\u4e00-\u9fff]")

# The standard's own example (a woman born 1949-12-31 in 北京市朝阳区) and the sample
# printed in GB 11643 (a man born 1880-01-01 in 广东省汕头市).
GB_WOMAN = "11010519491231002X"
GB_MAN = "440524188001010014"


def parse(raw: object) -> idcard.IdNumber:
    return idcard.parse(raw, today=TODAY)


def rejection(raw: object) -> IdNumberError:
    with pytest.raises(IdNumberError) as caught:
        parse(raw)
    error = caught.value
    assert CJK.search(error.zh), error.zh
    assert str(error) == f"{error.zh} / {error.en}"
    assert error.en.isascii() and error.en, error.en
    return error


# --- valid numbers -----------------------------------------------------------------------


def test_check_character_matches_the_weighted_sum_worked_by_hand():
    # 1×7+1×9+0×10+1×5+0×8+5×4+1×2+9×1+4×6+9×3+1×7+2×9+3×10+1×5+0×8+0×4+2×2 = 167;
    # 167 mod 11 = 2 → "X" (the table 1 0 X 9 8 7 6 5 4 3 2).
    assert idcard.check_char(GB_WOMAN[:17]) == "X"
    # ... = 195; 195 mod 11 = 8 → "4".
    assert idcard.check_char(GB_MAN[:17]) == "4"


def test_standard_example_woman():
    parsed = parse(GB_WOMAN)
    assert parsed.number == GB_WOMAN
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.sex == "女"  # 17th digit 2 is even
    assert parsed.area_code == "110105"
    assert parsed.upgraded_from_15 is False
    assert parsed.age_on(date(2024, 12, 30)) == 74
    assert parsed.age_on(date(2024, 12, 31)) == 75


def test_standard_example_man_born_1880_is_accepted():
    parsed = parse(GB_MAN)
    assert parsed.birth_date == date(1880, 1, 1)
    assert parsed.sex == "男"  # 17th digit 1 is odd
    assert parsed.area_code == "440524"


@pytest.mark.parametrize(
    ("sequence", "sex"), [(0, "女"), (1, "男"), (2, "女"), (123, "男"), (998, "女"), (999, "男")]
)
def test_sex_comes_from_the_17th_digit(sequence, sex):
    number = idcard.make("522727", date(1954, 7, 21), sequence)
    assert number[14:17] == f"{sequence:03d}"
    assert parse(number).sex == sex


def test_make_builds_a_number_the_parser_accepts():
    number = idcard.make("522727", date(2000, 2, 29), 57)
    assert len(number) == 18
    assert number.startswith("52272720000229057")
    parsed = parse(number)
    assert parsed.number == number
    assert parsed.birth_date == date(2000, 2, 29)


def test_an_int_of_18_digits_is_accepted_when_valid():
    assert parse(int(GB_MAN)).number == GB_MAN


def test_is_valid():
    assert idcard.is_valid(GB_WOMAN)
    assert not idcard.is_valid("110105194912310021")
    assert not idcard.is_valid(None)
    assert not idcard.is_valid(3.71311194601096e17)


# --- refused numbers ---------------------------------------------------------------------


def test_wrong_check_character_is_refused_and_names_the_expected_one():
    error = rejection("110105194912310021")
    assert "校验位" in error.zh
    assert "X" in error.zh
    assert "check character" in error.en


def test_impossible_date_feb_30_is_refused():
    body = "522727" + "19900230" + "123"
    error = rejection(body + idcard.check_char(body))
    assert "19900230" in error.zh
    assert "不存在" in error.zh


def test_feb_29_only_in_leap_years():
    assert parse(idcard.make("522727", date(2000, 2, 29), 1)).birth_date == date(2000, 2, 29)
    body = "522727" + "19000229" + "001"  # 1900 was not a leap year
    rejection(body + idcard.check_char(body))


@pytest.mark.parametrize("mmdd", ["0001", "1301", "0100", "0132", "0431"])
def test_impossible_month_or_day_is_refused(mmdd):
    body = "522727" + "1990" + mmdd + "123"
    assert "不存在" in rejection(body + idcard.check_char(body)).zh


def test_future_birth_date_is_refused():
    tomorrow = TODAY + timedelta(days=1)
    error = rejection(idcard.make("522727", tomorrow, 11))
    assert "未来" in error.zh
    assert "future" in error.en
    # born today is fine (a newborn is registered the same day)
    assert parse(idcard.make("522727", TODAY, 11)).birth_date == TODAY


def test_implausibly_old_birth_year_is_refused():
    error = rejection(idcard.make("522727", date(1879, 12, 31), 11))
    assert "1879" in error.zh


@pytest.mark.parametrize(
    ("raw", "length"), [("11010519491231002", 17), ("11010519491231002X1", 19), ("1234", 4)]
)
def test_wrong_length_is_refused_with_the_length_found(raw, length):
    error = rejection(raw)
    assert "18 位" in error.zh
    assert f"{length} 位" in error.zh


@pytest.mark.parametrize("raw", ["1101051949123100XX", "11010519491231O02X", "A1010519491231002X"])
def test_letters_in_the_first_17_are_refused(raw):
    assert "17" in rejection(raw).zh


@pytest.mark.parametrize("raw", [None, "", "   ", "　"])
def test_empty_is_refused(raw):
    assert "为空" in rejection(raw).zh


def test_15_digit_with_a_letter_is_refused():
    assert "15 位" in rejection("11010549123100X").zh


# --- repairs that are safe ---------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "１１０１０５１９４９１２３１００２Ｘ",  # full-width digits and X
        "１１０１０５１９４９１２３１００２ｘ",  # full-width lower-case x
        "11010519491231002x",
        " 110105 19491231 002X ",
        "110105 1949 1231 002x",
        "110105-19491231-002X",
        "110105－19491231－002X",  # full-width hyphen
        "110105\u00a019491231\t002X\n",  # no-break space, tab, newline
        "'11010519491231002X",  # Excel's text-cell apostrophe
        "110105　19491231　002X",  # ideographic space
    ],
)
def test_normalisation_repairs_typing_variants(raw):
    parsed = parse(raw)
    assert parsed.number == GB_WOMAN
    assert parsed.sex == "女"


def test_15_digit_number_is_upgraded_to_18():
    parsed = parse("110105491231002")
    assert parsed.number == GB_WOMAN  # "19" inserted, check character computed
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.sex == "女"
    assert parsed.upgraded_from_15 is True


def test_15_digit_number_typed_with_spaces_and_full_width_digits():
    parsed = parse("４４０５２４ 800101 001")
    assert parsed.number == idcard.make("440524", date(1980, 1, 1), 1)  # 19xx, never 18xx
    assert parsed.birth_date == date(1980, 1, 1)
    assert parsed.upgraded_from_15 is True


def test_15_digit_number_with_impossible_date_is_refused():
    rejection("110105490230002")


# --- Excel-mangled numbers: refused, never guessed -------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        3.71311194601096e17,  # a float cell
        float(GB_MAN),  # even when the float happens to round to a valid-looking value
        "3.71311194601096E+17",
        "3.71311194601096e+17",
        "3.71311194601096E17",
        "４.７１３１１１９４６０１０９６Ｅ＋１７",
        "522727195407212000.0",
        "522727195407212000.00",
    ],
)
def test_excel_number_is_refused_with_a_clear_message(raw):
    error = rejection(raw)
    assert "Excel" in error.zh
    assert "文本" in error.zh  # tells the cadre what to do: export the column as text
    assert "Excel" in error.en
    assert "lost" in error.en
    assert not idcard.is_valid(raw)


def test_excel_number_refused_already_at_normalise():
    with pytest.raises(IdNumberError):
        idcard.normalise("3.71311194601096E+17")
    with pytest.raises(IdNumberError):
        idcard.normalise(3.71311194601096e17)


# --- masking -----------------------------------------------------------------------------


def test_mask_shows_first_6_and_last_4():
    assert idcard.mask(GB_WOMAN) == "110105********002X"
    assert idcard.mask(GB_MAN) == "440524********0014"
    assert len(idcard.mask(GB_WOMAN)) == 18
    assert "19491231" not in idcard.mask(GB_WOMAN)  # the birth date is hidden


def test_mask_leaves_short_values_alone():
    assert idcard.mask("1234567890") == "1234567890"


# --- properties --------------------------------------------------------------------------

areas = st.integers(110000, 659999).map(str)
births = st.dates(min_value=date(1880, 1, 1), max_value=TODAY)
sequences = st.integers(0, 999)


@settings(max_examples=300, deadline=None)
@given(area=areas, birth=births, sequence=sequences)
def test_make_round_trips_date_and_sex(area, birth, sequence):
    number = idcard.make(area, birth, sequence)
    parsed = parse(number)
    assert parsed.number == number
    assert parsed.birth_date == birth
    assert parsed.sex == ("男" if sequence % 2 else "女")
    assert parsed.area_code == area


@settings(max_examples=500, deadline=None)
@given(
    area=areas, birth=births, sequence=sequences,
    position=st.integers(0, 16), shift=st.integers(1, 9),
)
def test_any_single_digit_change_is_detected(area, birth, sequence, position, shift):
    number = idcard.make(area, birth, sequence)
    digit = (int(number[position]) + shift) % 10
    mistyped = number[:position] + str(digit) + number[position + 1 :]
    assert mistyped != number
    with pytest.raises(IdNumberError) as caught:
        parse(mistyped)
    try:
        mistyped_birth = date(int(mistyped[6:10]), int(mistyped[10:12]), int(mistyped[12:14]))
    except ValueError:
        return  # the change made an impossible date: rejected for that
    if date(1880, 1, 1) <= mistyped_birth <= TODAY:
        assert "check character" in caught.value.en


@settings(max_examples=200, deadline=None)
@given(area=areas, birth=st.dates(date(1900, 1, 1), date(1999, 12, 31)), sequence=sequences)
def test_15_digit_form_upgrades_to_the_18_digit_number(area, birth, sequence):
    number = idcard.make(area, birth, sequence)
    legacy = number[:6] + number[8:17]
    assert len(legacy) == 15
    parsed = parse(legacy)
    assert parsed.number == number
    assert parsed.upgraded_from_15


GB11643_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_check_char_is_the_standards_weighted_sum(first17):
    """check_char uses a base-13 shortcut; it must equal the standard's definition."""
    total = sum(int(d) * w for d, w in zip(first17, GB11643_WEIGHTS, strict=True))
    assert idcard.check_char(first17) == "10X98765432"[total % 11]


def test_a_15_digit_id_stored_as_a_number_is_exact_and_accepted():
    """Excel keeps 15 digits exactly (below 2**53); only longer IDs lose digits."""
    parsed = idcard.parse(522727560612013.0, today=date(2026, 11, 1))
    assert parsed.number.startswith("52272719560612013") and parsed.upgraded_from_15
