"""Rule module 'gap' (to be implemented)."""
