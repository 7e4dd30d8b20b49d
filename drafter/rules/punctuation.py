"""Rule module 'punctuation' (to be implemented)."""
