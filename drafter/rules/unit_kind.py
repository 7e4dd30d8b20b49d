"""Rule module 'unit_kind' (to be implemented)."""
