"""Near-copies of a section: the same text with other names and numbers.

Sites copy reports into compilations, and a county's reports are copies of one template: on a large
corpus a query's best sections come back hundreds of times over. Two sections are near-copies when the
Jaccard similarity of their character bigrams, digits dropped, is at least ``NEAR_DUPLICATE``.

Comparing a section with every other is out of the question at 190,000 sections, so the corpus groups
near-copies into *families* when it stores them (``CorpusStore``), by locality-sensitive hashing: a
one-permutation MinHash sketch of ``BANDS × ROWS`` values, cut into ``BANDS`` bands; sections sharing a
band are candidates, and a candidate is a near-copy only once its Jaccard similarity is checked. Two
sections of similarity s share a band with probability 1 − (1 − s³)⁴: 0.81 at 0.7, 0.97 at 0.85, 0.6 %
at 0.2. A copy missed here is still caught by the retriever's own check of the hits it returns.
"""

import hashlib
from itertools import pairwise

NEAR_DUPLICATE = 0.7
BANDS, ROWS = 4, 3
_SLOTS = BANDS * ROWS
_PRIME = (1 << 61) - 1  # a Mersenne prime: x ↦ a·x mod p permutes the bigram codes
_MULTIPLIER = 0x1F3D_5B79_A2C4_E6F1
_EMPTY = _PRIME  # a slot no bigram fell in: equal for equal texts, so still comparable
_DIGITS = str.maketrans("", "", "0123456789０１２３４５６７８９.%")

Shingles = frozenset[tuple[str, str]]


def shingles(heading: str, body: str) -> Shingles:
    """Character bigrams, digits dropped (``pairwise`` builds them in C: a window holds hundreds of sections)."""
    return frozenset(pairwise((heading + "\n" + body).translate(_DIGITS)))


def jaccard(a: Shingles, b: Shingles) -> float:
    if not a or not b:
        return 1.0 if a == b else 0.0
    small, large = sorted((len(a), len(b)))
    if small < NEAR_DUPLICATE * large:
        return small / large  # an upper bound, already below the threshold: no need to intersect
    common = len(a & b)
    return common / (len(a) + len(b) - common)


def bands(grams: Shingles) -> list[int]:
    """The section's ``BANDS`` band keys: integers below 2³² (five bytes in SQLite; two unrelated bands
    sharing a key cost one comparison), the same in every process (no ``hash()``, which Python salts)."""
    slots = [_EMPTY] * _SLOTS
    for a, b in grams:
        h = ((ord(a) << 21 | ord(b)) * _MULTIPLIER) % _PRIME
        i = h % _SLOTS
        if h < slots[i]:
            slots[i] = h
    keys = []
    for band in range(BANDS):
        part = ",".join(map(str, slots[band * ROWS:(band + 1) * ROWS]))
        digest = hashlib.blake2b(f"{band}:{part}".encode(), digest_size=4).digest()
        keys.append(int.from_bytes(digest, "big"))
    return keys
