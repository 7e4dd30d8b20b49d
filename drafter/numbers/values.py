"""When does a fact's value support a claimed value? Units, scales and qualifiers as ranges.

A qualifier turns a number into a range: "100余次" is [100, 200), "98%以上" is [98, 100], "近百人" is
[85, 100]. A fact that itself carries a qualifier ("200 余人") is only supported by the same number with a
qualifier of the same sense (余 ≡ 多): the user chose that wording, the report should keep it; written
without its bound ("200人" for 200 余人) it is a warning. An exact fact is written exactly: 近/约/不到 never
stand before it, and a bound whose range holds it ("100余次" for 105) is a warning (issue 11).
"""

import math

from drafter.numbers.lexicon import measures

INF = math.inf
_MORE = {"余", "多", "以上", "超过"}
_LESS = {"近", "不到"}
_SENSE = {q: "more" for q in _MORE} | {q: "less" for q in _LESS} | {"约": "about"}
_EPS = 1e-9


def base_unit(unit: str) -> tuple[str, float]:
    """"万元" → ("元", 10000); "％" → ("%", 1); other units are their own base."""
    unit = unit.strip()
    if unit == "％":
        return "%", 1.0
    scaled = measures().scaled.get(unit)
    return scaled if scaled else (unit, 1.0)


def units_agree(fact_unit: str, claim_unit: str, claim_context: str = "") -> bool:
    """Do two measure words count the same thing? 次/场, 人/名, 个/支; a noun unit ("村") the context names."""
    fu, _ = base_unit(fact_unit)
    cu, _ = base_unit(claim_unit)
    if fu == cu:
        return True
    eq = measures().equivalent
    if cu in eq.get(fu, ()):
        return True
    if fu not in measures().kind:
        # a unit the user wrote as a noun ("个村", "村"): agrees with 个 when the clause names that noun
        noun = fu[1:] if fu.startswith("个") and len(fu) > 1 else fu
        return cu in eq.get("个", ()) and bool(noun) and noun in claim_context
    return False


def step_of(value: float) -> float:
    """The rounding step a written number implies: 200 → 100, 250 → 10, 6万 → 10000, 98.5 → 0.1."""
    if value <= 0:
        return 1.0
    if not float(value).is_integer():
        decimals = len(f"{value:.6f}".rstrip("0").split(".")[1])
        return 10.0 ** -decimals
    n = int(value)
    step = 1
    while n % (step * 10) == 0:
        step *= 10
    return float(step)


def interval(value: float, qualifier: str | None, percent: bool = False) -> tuple[float, float]:
    top = 100.0 if percent else INF
    if qualifier in ("余", "多"):
        return value, value + step_of(value) - _EPS * max(1.0, value)
    if qualifier == "以上":
        return value, max(top, value)
    if qualifier == "超过":
        return value + _EPS, max(top, value + 1)
    if qualifier == "近":
        return value * 0.85, value
    if qualifier == "约":
        tol = max(value * 0.1, 0.5)
        return value - tol, value + tol
    if qualifier == "不到":
        return 0.0, value - _EPS
    return value, value


OK, DRIFT, NO = "ok", "drift", "no"
_BOUNDS = {"余", "多", "以上", "超过"}  # a fact with one of these, written without it, is still its number


def value_verdict(fact_value: float, fact_unit: str, fact_qualifier: str | None,
                  claim_value: float, claim_unit: str, claim_qualifier: str | None) -> str:
    """OK, DRIFT (the fact's number, but its qualifier written otherwise: a warning) or NO.

    Units must already agree (``units_agree``); values are compared after scaling."""
    _, fscale = base_unit(fact_unit)
    _, cscale = base_unit(claim_unit)
    fv, cv = fact_value * fscale, claim_value * cscale
    percent = base_unit(claim_unit)[0] == "%"
    same = math.isclose(fv, cv, rel_tol=1e-9, abs_tol=1e-9)
    if fact_qualifier:
        if not same:
            return NO
        if claim_qualifier is None:
            return DRIFT if fact_qualifier in _BOUNDS else NO
        return OK if _SENSE.get(fact_qualifier) == _SENSE.get(claim_qualifier) else NO
    if claim_qualifier is None:
        return OK if same else NO
    if _SENSE.get(claim_qualifier) != "more":
        return NO  # 近/约/不到 never stand before an exact fact
    lo, hi = interval(cv, claim_qualifier, percent)
    return DRIFT if lo - 1e-9 <= fv <= hi + 1e-9 else NO


def value_supports(fact_value: float, fact_unit: str, fact_qualifier: str | None,
                   claim_value: float, claim_unit: str, claim_qualifier: str | None) -> bool:
    """Does the fact's value stand behind the claimed value (perhaps with a qualifier warning)?"""
    return value_verdict(fact_value, fact_unit, fact_qualifier, claim_value, claim_unit, claim_qualifier) != NO


def unit_drift(fact_unit: str, claim_unit: str) -> bool:
    """次 for a fact in 期, 条 for one in 篇: the units agree but the report should use the fact's word."""
    fu, cu = fact_unit.strip(), claim_unit.strip()
    return fu != cu and cu in measures().near.get(fu, ())
