"""Chinese and Arabic numerals: a table of the genre's forms, and round-trip properties."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drafter.numerals import chinese_to_int, format_number, int_to_chinese, parse_numeral, to_halfwidth_digits


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("四", 4), ("十", 10), ("十二", 12), ("两", 2), ("二十", 20), ("一百零五", 105), ("两千", 2000),
        ("两千三百", 2300), ("三万五千", 35000), ("一万零五", 10005), ("十万零一十", 100010), ("百", 100),
        ("千", 1000), ("万", 10000), ("二〇二五", 2025), ("一二", 12), ("一亿零五", 100_000_005),
        ("壹佰零伍", 105),
    ],
)
def test_chinese_to_int_table(text, value):
    assert chinese_to_int(text) == value


@pytest.mark.parametrize("text", ["", "abc", "十a", "党课", "x"])
def test_chinese_to_int_rejects_non_numerals(text):
    assert chinese_to_int(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("105", 105), ("１０５", 105), ("1,200", 1200), ("98.5", 98.5), ("1.5万", 15000), ("3千", 3000),
        ("6万", 60000), ("一百零五", 105), ("两千", 2000), ("百分之九十八", 98), ("百分之百", 100),
        ("百分之98", 98), ("九十八点五", 98.5), ("2.5亿", 250_000_000),
    ],
)
def test_parse_numeral_table(text, value):
    assert parse_numeral(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "x", "党课", "1.2.3", "点五"])
def test_parse_numeral_rejects(text):
    assert parse_numeral(text) is None


@pytest.mark.parametrize(
    ("value", "text", "liang"),
    [(4, "四", False), (12, "十二", False), (105, "一百零五", False), (20000, "二万", False),
     (20000, "两万", True), (2300, "两千三百", True), (100010, "十万零一十", False), (0, "零", False)],
)
def test_int_to_chinese_table(value, text, liang):
    assert int_to_chinese(value, liang=liang) == text


def test_int_to_chinese_refuses_negative():
    with pytest.raises(ValueError):
        int_to_chinese(-1)


@given(st.integers(min_value=0, max_value=10**12), st.booleans())
def test_chinese_round_trip(value, liang):
    assert chinese_to_int(int_to_chinese(value, liang=liang)) == value


@given(st.integers(min_value=0, max_value=10**9))
def test_arabic_round_trip(value):
    assert parse_numeral(str(value)) == value
    assert parse_numeral(f"{value:,}") == value
    fullwidth = str(value).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert parse_numeral(fullwidth) == value
    assert to_halfwidth_digits(fullwidth) == str(value)


@given(st.integers(min_value=1, max_value=99_999))
def test_percent_words_round_trip(value):
    assert parse_numeral("百分之" + int_to_chinese(value)) == value


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=9))
def test_format_number(whole, tenth):
    assert format_number(float(whole)) == str(whole)
    assert parse_numeral(format_number(whole + tenth / 10)) == pytest.approx(whole + tenth / 10)
