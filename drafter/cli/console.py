"""One stdout console and one stderr console for every command (rich-cli's habit)."""

from rich.console import Console

console = Console(highlight=False, soft_wrap=True)
error_console = Console(stderr=True, highlight=False, soft_wrap=True)
