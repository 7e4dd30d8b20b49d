"""One stdout console and one stderr console for every command (rich-cli's habit)."""

from rich.console import Console

console = Console(highlight=False, soft_wrap=True)
error_console = Console(stderr=True, highlight=False, soft_wrap=True)


_CONTROL = {c: None for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, *range(0x80, 0xA0)]}


def plain(text: str) -> str:
    """User or file text made safe to print: no terminal escape or control characters, rich markup shown
    literally. Every renderer passes text from inputs through this."""
    from rich.markup import escape

    return escape(str(text).translate(_CONTROL))
