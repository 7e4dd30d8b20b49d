"""Near-copies of a section: bigram Jaccard, LSH bands, and the families the corpus groups them into."""

import pytest

from drafter.corpus import ingest_paths
from drafter.corpus.nearcopy import NEAR_DUPLICATE, bands, jaccard, shingles
from drafter.corpus.store import CorpusStore
from tests.conftest import FIXTURES

QINGSHI = FIXTURES / "corpus" / "qingshi-2025.md"
BODY = ("全年监测处置网络舆情3起，青石镇网信办均在当天核实回应，舆情平稳。建立网评员队伍5人，每月开展一次"
        "舆情研判，对苗头性问题早发现、早报告、早处置，全年未发生重大网络舆情事件。")


@pytest.mark.parametrize(("other", "near"), [
    (BODY, True),
    (BODY.replace("3起", "17起").replace("5人", "12人"), True),  # other numbers: digits are dropped
    (BODY.replace("青石镇", "白水乡"), True),  # another unit's name
    (BODY[: len(BODY) // 2], False),  # half of it
    ("党委理论学习中心组全年集中学习12次，专题研讨4次，班子成员到联系村讲党课18场。", False),
])
def test_near_copy_is_other_names_and_numbers_not_other_text(other, near):
    a, b = shingles("网络舆情处置", BODY), shingles("网络舆情处置", other)
    assert (jaccard(a, b) >= NEAR_DUPLICATE) is near


def test_bands_are_stable_and_shared_by_near_copies():
    a = bands(shingles("网络舆情处置", BODY))
    assert a == bands(shingles("网络舆情处置", BODY))  # no per-process salt: workers and the store agree
    assert len(a) == 4 and all(0 <= key < 2 ** 32 for key in a)
    copy = bands(shingles("网络舆情处置", BODY.replace("青石镇", "白水乡").replace("3起", "8起")))
    other = bands(shingles("理论学习", "党委理论学习中心组全年集中学习12次，专题研讨4次，班子成员到联系村讲党课18场。"))
    assert set(a) & set(copy) and not set(a) & set(other)


def _families(store: CorpusStore) -> dict[str, set[int]]:
    """heading → families of the sections with it."""
    out: dict[str, set[int]] = {}
    for heading, family in store.conn.execute("SELECT heading, family FROM sections"):
        out.setdefault(heading, set()).add(family)
    return out


def _copies(tmp_path, names: list[str]) -> list:
    text = QINGSHI.read_text(encoding="utf-8")
    paths = []
    for i, name in enumerate(names):
        p = tmp_path / f"{i:02d}.md"
        p.write_text(text.replace("青石", name).replace("4次", f"{i + 5}次"), encoding="utf-8")
        paths.append(p)
    return paths


def test_copies_of_a_report_share_families_and_its_sections_do_not(tmp_path):
    with CorpusStore(tmp_path / "c.sqlite3") as s:
        ingest_paths(s, [QINGSHI, *_copies(tmp_path, ["白水", "红岩", "金沙"])])
        families = _families(s)
        assert all(len(f) == 1 for f in families.values())  # each section's four copies: one family
        assert len({f for (f,) in s.conn.execute("SELECT family FROM sections")}) == 13  # 13 sections, 13 families
        hits = s.match_sections('"舆情" OR "中心组"', limit=100, one_per_family=True)
        every = s.match_sections('"舆情" OR "中心组"', limit=100)
        assert len(every) == 4 * len(hits) and {sid for sid, _ in hits} <= {sid for sid, _ in every}


def test_family_outlives_the_section_it_was_first_seen_with(tmp_path):
    db = tmp_path / "c.sqlite3"
    with CorpusStore(db) as s:
        ingest_paths(s, [QINGSHI, *_copies(tmp_path, ["白水"])])
        first, second = s.list_reports()
        s.remove_report(first.id)  # the sections each family's bands point to
    late = tmp_path / "late"
    late.mkdir()
    with CorpusStore(db) as s:  # a new connection: nothing cached
        ingest_paths(s, _copies(late, ["红岩"]))
        third = s.list_reports()[-1]
        family = dict(s.conn.execute("SELECT id, family FROM sections"))
        old = {x.heading: family[x.id] for x in s.sections_of(second.id)}
        new = {x.heading: family[x.id] for x in s.sections_of(third.id)}
        assert new == old and len(set(family.values())) == 13


@pytest.mark.parametrize("filters", [{}, {"role": "工作情况"}, {"topic": "网络意识形态与舆情"}])
def test_one_per_family_is_the_best_copy_left_after_the_filters(tmp_path, filters):
    with CorpusStore(tmp_path / "c.sqlite3") as s:
        ingest_paths(s, [QINGSHI, *_copies(tmp_path, ["白水", "红岩"])])
        query = '"舆情" OR "网评员"'
        best = s.match_sections(query, limit=100, one_per_family=True, **filters)
        every = dict(s.match_sections(query, limit=1000, **filters))
        assert best and all(score == max(every.get(x.id, 0.0) for x in _members(s, sid)) for sid, score in best)
        owner = s.sections_by_id([best[0][0]])[best[0][0]].report_id
        without = s.match_sections(query, limit=100, one_per_family=True, exclude_reports=[owner], **filters)
        assert len(without) == len(best)  # the family's copy in another report stands in
        assert owner not in {x.report_id for x in s.sections_by_id([sid for sid, _ in without]).values()}


def _members(s: CorpusStore, section_id: int) -> list:
    (family,) = s.conn.execute("SELECT family FROM sections WHERE id = ?", (section_id,)).fetchone()
    ids = [r[0] for r in s.conn.execute("SELECT id FROM sections WHERE family = ?", (family,))]
    return list(s.sections_by_id(ids).values())
