"""Rule module 'placeholder' (to be implemented)."""
