"""Rule module 'heading_sequence' (to be implemented)."""
