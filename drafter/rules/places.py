"""Rule module 'places' (to be implemented)."""
