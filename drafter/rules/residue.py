"""Rule module 'residue' (to be implemented)."""
