"""Make a snippet request safe before any rule sees it.

Requests come from JSON Lines written by other programs: a field may be a dict, a list,
a number (even infinity), carry lone surrogates or control characters, or be megabytes
long. Text fields become clean strings of bounded length; anything else is refused with a
coded error, so every request gets an answer and no rule meets a non-string.
"""

from __future__ import annotations

import json
import math
from typing import Any

from checker.core.safetext import safe_text

TEXT_FIELDS = ("name", "target", "actual", "level1", "level2", "goal", "completion", "project", "context", "kind")
# the fields a kind cannot do without: a non-text value there is refused; elsewhere it is
# context the check can do without, and dropped
REQUIRED = {"indicator": ("name", "target"), "goal": ("goal",), "completion": ("completion",)}
# Real indicator, goal and completion texts stay under ~300 characters. A longer field is cut
# here (the answer says so): some rules cost time quadratic in a pathological run of one
# character, and 2,000 keeps every answer to about a second.
MAX_FIELD_CHARS = 2000
MAX_FIELD_REFUSED = 1_000_000  # beyond this the request is refused, not cut


class RequestError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def safe_id(value: Any) -> Any:
    """The request id echoed back as given when it is plain JSON, else its text."""
    if value is None or isinstance(value, bool | int | str):
        return safe_text(value) if isinstance(value, str) else value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    try:
        json.dumps(value, allow_nan=False)
        return value if len(json.dumps(value)) <= 1000 else None
    except (TypeError, ValueError, RecursionError):
        return None


def clean_request(req: Any) -> dict:
    """A copy of `req` whose text fields are str (or None); RequestError for what cannot be."""
    if not isinstance(req, dict):
        raise RequestError("bad_request", "请求必须是 JSON 对象")
    out = dict(req)
    out["id"] = safe_id(req.get("id"))
    kind = req.get("kind")
    required = REQUIRED.get(kind, ()) if isinstance(kind, str) else ()
    for f in TEXT_FIELDS:
        if f not in req:
            continue
        v = req[f]
        problem = None
        if v is None or isinstance(v, str):
            pass
        elif isinstance(v, bool):
            problem = f"字段 {f} 必须是文字，收到的是真假值"
        elif isinstance(v, int | float):
            if isinstance(v, float) and not math.isfinite(v):
                problem = f"字段 {f} 不是有效的数字或文字"
            else:
                v = str(v) if isinstance(v, int) or v != int(v) or abs(v) >= 1e15 else str(int(v))
        else:
            problem = f"字段 {f} 必须是文字，收到的是{_kind_name(v)}"
        if problem:
            if f in required or f == "kind":
                raise RequestError("bad_field", problem)
            out[f] = None
            continue
        if isinstance(v, str):
            if len(v) > MAX_FIELD_REFUSED:
                raise RequestError("too_long", f"字段 {f} 长 {len(v)} 个字符，超过上限 {MAX_FIELD_REFUSED} 个")
            v = safe_text(v)
            if len(v) > MAX_FIELD_CHARS:
                v = v[:MAX_FIELD_CHARS]
                out.setdefault("_cut", []).append(f)
        out[f] = v
    return out


def cut_notice(req: dict) -> str | None:
    """The answer's notice for fields cut at MAX_FIELD_CHARS, if any."""
    cut = req.get("_cut") if isinstance(req, dict) else None
    if not cut:
        return None
    return f"字段 {'、'.join(cut)} 超过 {MAX_FIELD_CHARS} 个字符，只检查了前 {MAX_FIELD_CHARS} 个字符。"


def _kind_name(v: Any) -> str:
    if isinstance(v, dict):
        return "对象"
    if isinstance(v, list | tuple):
        return "列表"
    return type(v).__name__
