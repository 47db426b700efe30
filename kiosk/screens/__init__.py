"""Textual screens, one module per workflow the user sees. Thin: keys in, rule calls out, results shown."""
