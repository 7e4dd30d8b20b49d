"""rewrite: a template-copied report becomes the user's own (offline engine, optional LLM engine)."""
