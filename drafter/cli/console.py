"""One stdout console and one stderr console for every command (rich-cli's habit)."""

from rich.console import Console

console = Console(highlight=False)
error_console = Console(stderr=True, highlight=False)
