"""The built-in corpus of original sample reports (corpus/reports/) keeps its promises.

They are exemplars the drafter retrieves phrasing from, so they must be clean, well-formed, fictional
and our own: no slots, no half-width punctuation in Chinese text, no seed place names, no time-travelling
political terms, and (when ../shared is present) no 20-character run copied from a seed.
"""

import re
from pathlib import Path

import pytest

from drafter.parse import parse_report
from drafter.report import Section

ROOT = Path(__file__).resolve().parents[1]
REPORTS = sorted((ROOT / "corpus" / "reports").glob("*.md"))
MIN_CHARS, MAX_CHARS = 1800, 4500

# Place names that occur in the seeds (../shared/seeds); the corpus must not borrow any of them.
SEED_PLACES = (
    "勐约", "陇川", "德宏", "鸡鸣", "张家坪", "河头村", "陈院镇", "李子坪", "杨家坪", "桃花江", "檀树界",
    "江口社区", "浮邱山", "灞桥", "荆花社区", "花桥港", "金光山", "铃铛小镇", "双江村", "阿猛", "马迹塘",
    "龙宝坝", "瑞丽", "成州", "潇湘", "目瑙纵歌",
)
# The user's example units (examples/*.yaml): a corpus report naming them would look like the user's own.
EXAMPLE_UNITS = ("青石", "和平县", "白沙乡", "安和县")
# Unfilled template slots in any of the genre's spellings.
SLOT = re.compile(r"[xX]{2}|[ｘＸ]|××|某某|○○|□□|\*\*|_{2,}|(?<![A-Za-z])[xX](?![A-Za-z])")
CJK = r"[\u4e00-\u9fff“”‘’《》（）、，。：；！？]"
HALF_WIDTH_IN_CJK = re.compile(rf"(?<={CJK})[,:;()!?]|[,:;()!?](?={CJK})")
LEVEL1_LINE = re.compile(r"^[一二三四五六七八九十]{1,3}、")
DATE_LINE = re.compile(r"^(\d{4})年(\d{1,2})月\d{1,2}日$")

# Political terms and the first month (year, month) a report may speak of them; None: never as current.
TERM_SINCE: list[tuple[str, tuple[int, int] | None]] = [
    ("十九大", None),
    ("以习近平同志为总书记", None),
    ("两学一做", None),
    ("党史学习教育", None),
    ("二十届三中全会", (2024, 7)),
    ("党纪学习教育", (2024, 4)),
    ("二十届四中全会", (2025, 10)),
    ("十五五", (2025, 1)),
    ("中央八项规定精神学习教育", (2025, 3)),
]

# Verbatim formulas from central documents that every report of the genre carries; they are masked
# before the ownership check, since sharing them with a seed says nothing about copying.
OFFICIAL_FORMULAS = (
    "以习近平新时代中国特色社会主义思想为指导",
    "习近平新时代中国特色社会主义思想",
    "重要工作亲自部署、重要问题亲自过问、重大事件亲自处置",
)
SHINGLE = 20


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


def _report_date(text: str) -> tuple[int, int] | None:
    for line in reversed(text.strip().splitlines()):
        m = DATE_LINE.match(line.strip())
        if m:
            return int(m.group(1)), int(m.group(2))
    return None


def test_corpus_has_enough_reports():
    assert len(REPORTS) >= 10, [p.name for p in REPORTS]


@pytest.mark.parametrize("path", REPORTS, ids=_ids(REPORTS))
def test_report_is_well_formed(path: Path):
    text = _text(path)
    assert MIN_CHARS <= len(text) <= MAX_CHARS, len(text)
    report = parse_report(text)
    assert report.title is not None and re.search(r"20\d\d年", report.title.text)
    assert len(report.sections) >= 4, [s.heading.full for s in report.sections]
    assert report.opening, "an opening paragraph before the first heading"
    assert any("如下：" in p.text for p in report.opening), "opening ends with 现将……如下："


@pytest.mark.parametrize("path", REPORTS, ids=_ids(REPORTS))
def test_heading_numbers_do_not_skip(path: Path):
    def check(siblings: list[Section], where: str) -> None:
        numbers = [s.heading.number for s in siblings]
        assert numbers == list(range(1, len(numbers) + 1)), f"{where}: {numbers}"
        for s in siblings:
            check(s.children, s.heading.full)

    check(parse_report(_text(path)).sections, "top")


@pytest.mark.parametrize("path", REPORTS, ids=_ids(REPORTS))
def test_report_is_clean_text(path: Path):
    text = _text(path)
    assert not SLOT.findall(text), SLOT.findall(text)
    assert not HALF_WIDTH_IN_CJK.findall(text), [
        text[max(0, m.start() - 8) : m.end() + 8] for m in HALF_WIDTH_IN_CJK.finditer(text)
    ]
    assert text.count("“") == text.count("”")
    assert text.count("《") == text.count("》")
    assert text.count("（") == text.count("）")
    assert not re.search(r"^\s*#", text, re.M), "plain text, no markdown headings"


@pytest.mark.parametrize("path", REPORTS, ids=_ids(REPORTS))
def test_report_is_fictional(path: Path):
    text = _text(path)
    assert not [p for p in SEED_PLACES if p in text]
    assert not [u for u in EXAMPLE_UNITS if u in text]


GAZETTEER = ROOT / "corpus" / "lexicons" / "gazetteer.tsv.gz"
UNIT_IN_TITLE = re.compile(r"([\u4e00-\u9fff]{2,4}?(?:街道|乡|镇))")


def _gazetteer_names() -> set[str]:
    import gzip

    names = set()
    with gzip.open(GAZETTEER, "rt", encoding="utf-8") as rows:
        for row in rows:
            if row.startswith("%%"):
                break
            if not row.startswith("#") and "\t" in row:
                names.add(row.split("\t", 1)[0])
    return names


def test_corpus_units_are_not_real_townships():
    if not GAZETTEER.is_file():
        pytest.skip("corpus/lexicons/gazetteer.tsv.gz is not present")
    real = _gazetteer_names()
    units = {}
    for path in REPORTS:
        title = parse_report(_text(path)).title
        m = UNIT_IN_TITLE.search(re.sub(r"20\d\d年|关于", "", title.text)) if title else None
        assert m, f"{path.stem}: no unit in the title"
        units[path.stem] = m.group(1)
    assert not {stem: unit for stem, unit in units.items() if unit in real}


@pytest.mark.parametrize("path", REPORTS, ids=_ids(REPORTS))
def test_report_year_and_terms_agree(path: Path):
    text = _text(path)
    date = _report_date(text)
    assert date is not None, "ends with a date line"
    title_year = int(re.search(r"(20\d\d)年", text).group(1))
    assert title_year == date[0]
    for term, since in TERM_SINCE:
        if term in text:
            assert since is not None and date >= since, f"{term} in a report dated {date}"


def test_every_level1_line_parses_as_heading():
    missed = []
    for path in REPORTS:
        text = _text(path)
        parsed = {s.heading.start for s in parse_report(text).sections}
        pos = 0
        for line in text.split("\n"):
            if LEVEL1_LINE.match(line) and pos not in parsed:
                missed.append(f"{path.stem}: {line[:20]}")
            pos += len(line) + 1
    assert not missed, missed


def _normalise(text: str) -> str:
    text = text.translate(str.maketrans(",:;()!?", "，：；（）！？"))
    text = re.sub(r"\s+", "", text)
    for formula in OFFICIAL_FORMULAS:
        text = text.replace(formula, "\0")
    return text


def _shingles(text: str) -> set[str]:
    norm = _normalise(text)
    return {norm[i : i + SHINGLE] for i in range(len(norm) - SHINGLE + 1)}


def test_corpus_shares_no_20_char_run_with_seeds(seeds_dir: Path):
    seed_shingles: set[str] = set()
    for seed in sorted(seeds_dir.glob("*.txt")):
        seed_shingles |= _shingles(seed.read_text(encoding="utf-8"))
    assert seed_shingles, "seeds present but empty"
    copied = {}
    for path in REPORTS:
        shared = {s for s in _shingles(_text(path)) & seed_shingles if "\0" not in s}
        if shared:
            copied[path.stem] = sorted(shared)[:5]
    assert not copied, copied


EXAMPLE_FACTS = [
    (ROOT / "examples" / "青石镇事实.yaml", "青石镇", 2025, "全年", 15),
    (ROOT / "examples" / "白沙乡事实.yaml", "白沙乡", 2024, "上半年", 10),
]


@pytest.mark.parametrize(("path", "unit", "year", "span", "min_metrics"), EXAMPLE_FACTS,
                         ids=[p[1] for p in EXAMPLE_FACTS])
def test_example_facts_files(path: Path, unit: str, year: int, span: str, min_metrics: int):
    yaml = pytest.importorskip("yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["unit"]["name"] == unit and data["period"] == {"year": year, "span": span}
    metrics = data["metrics"]
    assert min_metrics <= len(metrics) <= 20
    names = [m["name"] for m in metrics]
    assert len(names) == len(set(names))
    assert all(isinstance(m["value"], int | float) and m.get("unit") for m in metrics)
    for key in ("events", "highlights", "problems", "plans"):
        assert data[key], key
    assert all(str(e["date"]).startswith(str(year)) for e in data["events"])
    facts_module = pytest.importorskip("drafter.facts")
    facts = facts_module.load_facts(path)
    assert facts.unit.name == unit and len(facts.metrics) == len(metrics)
