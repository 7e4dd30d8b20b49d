#!/usr/bin/env python3
"""Build ``corpus/lexicons/gazetteer.tsv.gz`` (China's administrative names) from JioNLP's data.

Source: the PyPI package ``jionlp`` (JioNLP, Apache License 2.0, https://github.com/dongrixinyu/JioNLP),
file ``jionlp/dictionary/china_location.zip``, itself compiled from the National Bureau of Statistics'
统计用区划代码. Only its data is used, and only at build time: drafter does not depend on jionlp.

We keep provinces, prefectures, counties and townships (乡/镇/街道/苏木); the ~650,000 villages are
left out (too many to load fast, and village names are too often ordinary words). Development zones,
farms and "直辖行政区划" pseudo-levels are dropped; Hong Kong, Macau and Taiwan keep only their
top-level names.

Each short form is marked ambiguous (``a``) when jieba's dictionary (a drafter dependency) counts it as
a frequent ordinary word (公安, 和平, 光明, 合作 …): such shorts are never matched without their suffix.
After the places, a ``%%`` line starts the common two-character words from the same dictionary
(count >= COMMON_FREQ): a place name that would start or end inside one of them (部分乡镇 → 分乡镇,
同安排 → 同安) is not a place, and an unknown name whose stem is one (强化乡 → 强化) is not a name.

Usage::

    python tools/build_gazetteer.py                      # pip-downloads jionlp==1.5.31 to a temp dir
    python tools/build_gazetteer.py --wheel path/to/jionlp-1.5.31-py2.py3-none-any.whl
"""

from __future__ import annotations

import argparse
import gzip
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

JIONLP_VERSION = "1.5.31"
OUT = Path(__file__).resolve().parents[1] / "corpus" / "lexicons" / "gazetteer.tsv.gz"
# jieba counts at or above this make a short form an ordinary word (德宏 21, 陇川 11, 公安 2800, 光明 1219).
AMBIGUOUS_FREQ = 150
COMMON_FREQ = 100
LEVELS = "PCXT"  # province, prefecture (地级), county (县级), township (乡级)
SKIP_WORDS = ("开发区", "工业园", "产业园", "园区", "示范区", "管理区", "保税区", "实验区", "试验区",
              "直辖", "高新", "农场", "林场", "牧场", "监狱", "戒毒", "基地", "工作部", "度假区", "旅游区",
              "风景", "新城", "科技城", "生态城", "合作区", "片区", "渔场", "茶场", "盐场", "良种场")
TOWNSHIP_SUFFIXES = ("街道办事处", "民族乡", "民族镇", "民族苏木", "街道", "苏木", "乡", "镇")
SPECIAL_REGIONS = ("香港", "澳门", "台湾")
# The 56 nationalities; stripped from the end of a township's stem: 三台山德昂族乡 → 三台山.
_NATIONALITY_NAMES = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 "
    "景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 "
    "保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
)
NATIONALITIES = tuple(_NATIONALITY_NAMES.split())


def fetch_wheel(tmp: Path) -> Path:
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(tmp),
                    f"jionlp=={JIONLP_VERSION}"], check=True)
    return next(tmp.glob("jionlp-*.whl"))


def read_location_text(wheel: Path) -> str:
    with zipfile.ZipFile(wheel) as whl:
        inner = io.BytesIO(whl.read("jionlp/dictionary/china_location.zip"))
    with zipfile.ZipFile(inner) as z:
        return z.read("china_location.txt").decode("utf-8")


def jieba_freqs() -> dict[str, int]:
    import jieba  # a drafter dependency; only its dictionary file is read

    path = Path(jieba.__file__).parent / "dict.txt"
    freqs: dict[str, int] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            word, freq, *_ = line.split()
            freqs[word] = int(freq)
    return freqs


def township_short(name: str) -> str:
    stem = name
    for suffix in TOWNSHIP_SUFFIXES:
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    # 勐约傣族乡 / 三台山德昂族乡 / 大河彝族苗族乡: strip the nationalities at the end.
    changed = True
    while changed and stem.endswith("族"):
        changed = False
        for nat in sorted(NATIONALITIES, key=len, reverse=True):
            if stem.endswith(nat + "族") and len(stem) - len(nat) - 1 >= 2:
                stem = stem[: -len(nat) - 1]
                changed = True
                break
    return stem


def county_short(name: str) -> str:
    for suffix in ("自治县", "自治旗", "林区", "特区", "县", "市", "区", "旗"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def aliases(name: str, shorts: list[str], level: str) -> list[str]:
    """The suffixed forms reports use besides the full name: 德宏傣族景颇族自治州 → 德宏州, 勐约傣族乡 → 勐约乡."""
    out = []
    for short in shorts:
        if len(short) < 2 or level == "P":
            continue
        if level == "T":
            suffix = next(x for x in TOWNSHIP_SUFFIXES if name.endswith(x))
            suffix = {"街道办事处": "街道", "民族乡": "乡", "民族镇": "镇", "民族苏木": "苏木"}.get(suffix, suffix)
            out.append(short + suffix)
        elif name.endswith("地区"):
            out.append(short + "地区")
        else:
            out.append(short + name[-1])
    return [a for a in dict.fromkeys(out) if a != name]


def build_rows(text: str, freqs: dict[str, int]) -> list[tuple[str, str, str, int, str, str]]:
    """(name, shorts joined by '/', level, parent row, flags, aliases joined by '/') in source order."""
    rows: list[tuple[str, str, str, int, str, str]] = []
    stack: list[int] = []  # row index of the open ancestor at each depth (-1 when skipped)
    skip_below: int | None = None
    for raw in text.split("\n"):
        if not raw.strip():
            continue
        depth = len(raw) - len(raw.lstrip("\t"))
        if depth > 3:
            continue  # villages
        if skip_below is not None and depth > skip_below:
            continue
        skip_below = None
        parts = raw.strip().split("\t")
        name = parts[0]
        del stack[depth:]
        parent = next((i for i in reversed(stack) if i >= 0), -1)
        provincial = stack[0] if stack else -1
        special = provincial >= 0 and rows[provincial][0].startswith(SPECIAL_REGIONS)
        if depth > 0 and special:
            skip_below = depth - 1
            continue
        if any(w in name for w in SKIP_WORDS):
            stack.append(-1)
            if depth == 3:
                skip_below = depth
            continue
        if depth == 1 and rows[parent][0] == name:  # a municipality repeats itself as prefecture
            stack.append(-1)
            continue
        if depth == 3:
            if not name.endswith(TOWNSHIP_SUFFIXES):
                continue
            shorts = [township_short(name)]
        else:
            shorts = [s for s in (parts[2].split("/") if len(parts) > 2 else []) if s]
            if depth == 2:
                shorts.append(county_short(name))
            shorts = list(dict.fromkeys(s for s in shorts if s != name and len(s) >= 2 and s in name)) \
                or [county_short(name)]
        flags = "a" if all(freqs.get(s, 0) >= AMBIGUOUS_FREQ or len(s) < 2 or s == name for s in shorts) \
            else ""
        level = LEVELS[depth]
        rows.append((name, "/".join(shorts), level, parent, flags, "/".join(aliases(name, shorts, level))))
        stack.append(len(rows) - 1)
    return rows


def upper_levels_first(rows: list[tuple[str, str, str, int, str, str]]) -> list[tuple[str, str, str, int, str, str]]:
    """Provinces, prefectures and counties first, townships after, parent rows renumbered: the loader
    parses the few thousand upper rows fully and only reads the townships' names."""
    order = sorted(range(len(rows)), key=lambda i: rows[i][2] == "T")
    new_id = {old: new for new, old in enumerate(order)}
    return [(*rows[i][:3], new_id.get(rows[i][3], -1), *rows[i][4:]) for i in order]


def common_words(freqs: dict[str, int], rows: list[tuple[str, str, str, int, str, str]]) -> str:
    """Frequent two-character words, 40 to a line; the unambiguous short forms of places are kept out."""
    places = {short for row in rows if row[2] in "CX" and not row[4] for short in row[1].split("/")}
    words = sorted(w for w, f in freqs.items() if len(w) == 2 and f >= COMMON_FREQ and w not in places)
    return "".join(" ".join(words[i : i + 40]) + "\n" for i in range(0, len(words), 40))


HEADER = f"""\
# gazetteer.tsv.gz — China's administrative names: provinces (P), prefectures (C), counties (X), townships (T).
# Built by tools/build_gazetteer.py from JioNLP {JIONLP_VERSION} (PyPI jionlp, Apache License 2.0,
# https://github.com/dongrixinyu/JioNLP), jionlp/dictionary/china_location.zip, compiled from the
# National Bureau of Statistics' 统计用区划代码. Villages, development zones and farms are left out.
# Columns: name, short forms ('/'-separated), level, parent row (0-based data row; -1 none),
# flags (a: every short form is also a frequent ordinary word in jieba's dictionary; never match it bare).
# Upper levels come first, townships after. After "%% aliases": other suffixed forms (德宏州) and their
# row. After "%% words": common two-character words from jieba's dictionary (count >= {COMMON_FREQ});
# a place name never starts or ends inside one.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, help="a downloaded jionlp wheel (default: pip download it)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or fetch_wheel(Path(tmp))
        text = read_location_text(wheel)
    freqs = jieba_freqs()
    rows = upper_levels_first(build_rows(text, freqs))
    body = "".join("\t".join(map(str, row[:5])) + "\n" for row in rows)
    body += "%% aliases\n" + "".join(f"{alias}\t{i}\n" for i, row in enumerate(rows)
                                     for alias in row[5].split("/") if alias)
    body += "%% words\n" + common_words(freqs, rows)
    # mtime=0: the same input gives byte-identical output, so regenerating makes no spurious diff.
    with args.out.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write((HEADER + body).encode("utf-8"))
    counts = {lv: sum(1 for r in rows if r[2] == lv) for lv in LEVELS}
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes): {counts}")


if __name__ == "__main__":
    main()
