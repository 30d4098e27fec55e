"""Reports of a compare run: terminal table, JSON (with its schema) and a self-contained HTML."""
