"""Reporters: each module exports `render(...) -> str` (or writes a file for .docx)."""
