"""Find the line of each value in a TOML or JSON facts file by its content.

Neither ``tomllib`` nor ``json`` keeps positions, yet an error must say "第 12 行". Items of a list are
found in order (the i-th ``name =`` / ``"name":`` after the list's key, or the i-th ``[[metrics]]``
header), fields by their key inside the item. Good enough for pointing a user at the right place.
"""

import re
from typing import Any

Lines = dict[tuple, int]

# the key that starts each item of the known lists, in order of preference
_ITEM_KEYS = {"metrics": ("name", "value"), "events": ("what", "date")}


def content_lines(text: str, data: Any) -> Lines:
    lines: Lines = {}
    if not isinstance(data, dict):
        return lines
    rows = text.split("\n")
    for key, value in data.items():
        top = _find_key(rows, str(key), 0, len(rows))
        if top is None:
            continue
        lines[(key,)] = top
        if isinstance(value, dict):
            for sub in value:
                found = _find_key(rows, str(sub), top - 1, min(len(rows), top + 40))
                lines[(key, sub)] = found or top
        elif isinstance(value, list):
            _locate_items(rows, str(key), value, top, lines)
    return lines


def _locate_items(rows: list[str], key: str, items: list, top: int, lines: Lines) -> None:
    header = re.compile(r"^\s*\[\[\s*" + re.escape(key) + r"\s*\]\]")
    headers = [i + 1 for i, row in enumerate(rows) if header.match(row)]
    starts: list[int] = []
    if len(headers) >= len(items):
        starts = headers[: len(items)]
    else:
        item_keys = _ITEM_KEYS.get(key, ())
        pos = top - 1
        for item in items:
            found = None
            if isinstance(item, dict):
                for item_key in item_keys:
                    if item_key in item:
                        found = _find_key(rows, item_key, pos, len(rows))
                        break
            elif isinstance(item, str):
                found = _find_text(rows, item, pos)
            found = found or (pos + 1 if pos + 1 <= len(rows) else top)
            starts.append(found)
            pos = found  # the next item starts after this one's line
    for i, item in enumerate(items):
        start = starts[i] if i < len(starts) else top
        lines[(key, i)] = start
        if isinstance(item, dict):
            end = starts[i + 1] if i + 1 < len(starts) and starts[i + 1] > start else min(len(rows), start + 12)
            for field in item:
                lines[(key, i, field)] = _find_key(rows, str(field), start - 1, max(end, start)) or start


def _find_key(rows: list[str], key: str, lo: int, hi: int) -> int | None:
    """1-based line of ``key`` used as a key (``key =``, ``key:``, ``"key":``, ``[key]``) in rows[lo:hi]."""
    k = re.escape(key)
    pattern = re.compile(rf"""(^|[\s{{,\[])["']?{k}["']?\s*[=:\]]""")
    for i in range(max(lo, 0), min(hi, len(rows))):
        if pattern.search(rows[i]):
            return i + 1
    return None


def _find_text(rows: list[str], text: str, lo: int) -> int | None:
    for i in range(max(lo, 0), len(rows)):
        if text in rows[i]:
            return i + 1
    return None
