"""One stdout console and one stderr console for every command (rich-cli's habit)."""

import re

from rich.console import Console

from drafter import regexes

# emoji=False: ":smile:" in a user's text prints as written; drafter's own messages use no emoji codes
console = Console(highlight=False, soft_wrap=True, emoji=False)
error_console = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)

# Whole terminal sequences, not just their ESC: "\x1b[2J" minus ESC would still print "[2J".
# CSI (ESC [ … final byte, or the 8-bit CSI U+009B), OSC / DCS / APC / PM strings up to BEL or ST, and
# two-character escapes (ESC c resets the terminal).
_SEQUENCE = regexes.compile(r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
                       r"|(?:\x1b[\]PX^_]|[\x90\x9d\x9e\x9f]).*?(?:\x07|\x1b\\|\x9c|$)"
                       r"|\x1b[ -/]*[0-~]?", re.DOTALL)
# Control characters but tab and newline, and the bidirectional overrides that make a terminal show
# text in another order than it is (U+202A-202E, U+2066-2069).
_CONTROL = {c: None for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0D, 0x20), 0x7F, *range(0x80, 0xA0),
                              *range(0x202A, 0x202F), *range(0x2066, 0x206A)]}


def safe_text(text: object) -> str:
    """Text from an input made safe for a terminal, for a rich ``Text`` (which takes no markup): terminal
    escape sequences and control characters removed, undecodable surrogates (a GBK file name) replaced."""
    value = str(text)
    if "\x1b" in value or any("\x80" <= ch <= "\x9f" for ch in value):
        value = _SEQUENCE.sub("", value)
    value = value.translate(_CONTROL)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        from drafter.readers import display_path

        value = display_path(value)  # a GBK file name shows as its Chinese name
    return value


def plain(text: object) -> str:
    """User or file text made safe to print with ``console.print``: no terminal escape or control
    characters, rich markup (``[bold]``, ``[link=…]``) and emoji codes (``:smile:``, the consoles have emoji off) shown literally.
    Every renderer passes text from inputs through this (or ``safe_text`` into a ``Text``)."""
    from rich.markup import escape

    return escape(safe_text(text))
