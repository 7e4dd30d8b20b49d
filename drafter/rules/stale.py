"""Rule module 'stale' (to be implemented)."""
