"""Rule module 'numbers' (to be implemented)."""
