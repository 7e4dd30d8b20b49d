"""Chinese and Arabic numerals: 四 → 4, 十二 → 12, 两 → 2, 一百零五 → 105, 1.5万 → 15000, 百分之九十八 → 98.

Pure functions, no data; the claim layer (``drafter.numbers``) builds claims on top of these.
"""

from drafter import regexes

_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5,
           "陆": 6, "柒": 7, "捌": 8, "玖": 9}
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
CHINESE_NUMERAL_CHARS = "".join(_DIGITS) + "".join(_SMALL_UNITS) + "".join(_BIG_UNITS)

# Full-width digits and the full-width point appear in text pasted from Word/WPS.
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
_ARABIC = regexes.compile(r"^(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)(?P<mult>[十百千万亿]*)$")


def to_halfwidth_digits(text: str) -> str:
    """０１２ → 012 (same length, so offsets are kept)."""
    return text.translate(_FULLWIDTH)


def chinese_to_int(text: str) -> int | None:
    """Value of a Chinese numeral, or None when ``text`` is not one.

    Handles positional forms (一百零五, 两千三百, 十二, 三万五千, 百, 万) and digit-by-digit forms
    (二〇二五, 一二). "十" alone is 10 and "十二" 12.
    """
    if not text or any(ch not in CHINESE_NUMERAL_CHARS for ch in text):
        return None
    if all(ch in _DIGITS for ch in text):
        if len(text) == 1:
            return _DIGITS[text]
        if text[0] in "零〇○" or len(text) >= 3 or "两" not in text:
            # 二〇二五 / 一二: read digit by digit
            return int("".join(str(_DIGITS[ch]) for ch in text))
    total = 0  # completed 万/亿 groups
    section = 0  # value below the current big unit
    digit: int | None = None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            section += (1 if digit is None else digit) * _SMALL_UNITS[ch]
            digit = None
        else:  # 万 / 亿
            if digit is not None:
                section += digit
            elif section == 0 and total == 0:
                section = 1  # a bare 万 / 亿 (万人, 亿元) is one of it
            unit = _BIG_UNITS[ch]
            if unit > 10_000:
                total = (total + section) * unit
            else:
                total += section * unit
            section, digit = 0, None
    return total + section + (digit or 0)


def chinese_to_number(text: str) -> float | None:
    """A Chinese numeral that may carry a decimal part: 九十八点五 → 98.5, 三 → 3."""
    if "点" not in text:
        value = chinese_to_int(text)
        return None if value is None else float(value)
    whole, _, frac = text.partition("点")
    whole_value = chinese_to_int(whole)
    if whole_value is None or not frac or any(ch not in _DIGITS for ch in frac):
        return None
    return float(f"{whole_value}.{''.join(str(_DIGITS[ch]) for ch in frac)}")


def parse_numeral(text: str) -> float | None:
    """Any numeral this genre writes: 105, １０５, 1,200, 98.5, 1.5万, 3千, 一百零五, 两千, 百分之九十八.

    Returns the plain value (百分之九十八 → 98.0: the caller knows it is a percentage), or None.
    """
    text = to_halfwidth_digits(text.strip())
    if not text:
        return None
    if text.startswith("百分之"):
        return chinese_to_number(text[3:]) if not text[3:4].isdigit() else parse_numeral(text[3:])
    m = _ARABIC.match(text)
    if m:
        value = float(m.group("num").replace(",", ""))
        for ch in m.group("mult"):
            value *= (_SMALL_UNITS | _BIG_UNITS)[ch]
        return value
    return chinese_to_number(text)


_CN_DIGITS = "零一二三四五六七八九"


def int_to_chinese(value: int, *, liang: bool = False) -> str:
    """4 → 四, 12 → 十二, 105 → 一百零五, 20000 → 二万 (or 两万 with ``liang``)."""
    if value < 0:
        raise ValueError("negative numbers have no Chinese numeral form here")
    if value == 0:
        return "零"
    if value >= 100_000_000:
        high, low = divmod(value, 100_000_000)
        head = "两" if liang and high == 2 else int_to_chinese(high, liang=liang)
        return _join_group(head + "亿", low, 10_000_000)
    if value >= 10_000:
        high, low = divmod(value, 10_000)
        head = "两" if liang and high == 2 else int_to_chinese(high, liang=liang)
        return _join_group(head + "万", low, 1000)
    out = []
    zero_pending = False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, value = divmod(value, unit)
        if d == 0:
            if out:
                zero_pending = True
            continue
        if zero_pending:
            out.append("零")
            zero_pending = False
        if unit == 10 and d == 1 and not out:
            out.append("十")  # 十二, not 一十二
        else:
            digit = "两" if liang and d == 2 and unit >= 100 else _CN_DIGITS[d]
            out.append(digit + name)
    return "".join(out)


def _join_group(prefix: str, low: int, threshold: int) -> str:
    if low == 0:
        return prefix
    low_text = int_to_chinese(low)
    if low < threshold:
        low_text = "零" + (("一" + low_text) if low_text.startswith("十") else low_text)
    return prefix + low_text


def format_number(value: float) -> str:
    """98.0 → "98", 98.5 → "98.5": how a value is written back into Chinese text."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")
