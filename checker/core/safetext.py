"""Text that is safe to show or store anywhere: terminal, JSON, CSV, Excel, Word.

`safe_text` removes what can hurt an output but never carries meaning in a budget
document: C0/C1 control characters except tab and newline (a terminal escape starts with
ESC; openpyxl refuses the rest), bidirectional overrides (they reorder what a reviewer
sees), lone UTF-16 surrogates (not encodable as UTF-8) and U+FFFE/U+FFFF.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")


def safe_text(text: str) -> str:
    """`text` without control characters, bidi overrides and lone surrogates (\\r becomes \\n)."""
    if not isinstance(text, str):
        text = str(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _UNSAFE.sub("", text)


def has_unsafe(text: str) -> bool:
    return bool(_UNSAFE.search(text)) or "\r" in text
