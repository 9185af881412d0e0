"""Output formats of `jxcheck check`: one table, name → function(results, color) -> text or bytes
(the binary ones are written to a file, never to a terminal).

Each reporter module is imported only when its format is asked for (start-up stays light)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _text(results: list[Any], color: bool = False) -> str:
    from checker.publishing.text import render

    return render(results, color=color)


def _concise(results: list[Any], color: bool = False) -> str:
    from checker.publishing.text import render

    return render(results, color=color, concise=True)


def _json(results: list[Any], color: bool = False) -> str:
    from checker.publishing.json_report import render

    return render(results)


def _sarif(results: list[Any], color: bool = False) -> str:
    from checker.publishing.sarif import render

    return render(results)


def _xlsx(results: list[Any], color: bool = False) -> bytes:
    from checker.publishing.workbook import findings_xlsx

    return findings_xlsx([r.to_dict() if hasattr(r, "to_dict") else r for r in results])


FORMATS: dict[str, Callable[..., str | bytes]] = {"text": _text, "concise": _concise, "json": _json, "sarif": _sarif, "xlsx": _xlsx}
BINARY = {"xlsx"}  # needs --out
