"""Rule module 'typo' (to be implemented)."""
