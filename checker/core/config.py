"""Configuration: defaults, then `jxcheck.toml` in the working folder, then `--config`.

Every threshold, word list, severity and rubric weight a bureau may want to change
lives here as data. Sections:

  [limits]      bounds on one document's work: sizes, cells, depth, characters, pages,
                memory and time (checker/core/limits.py says what each guards against)
  [reader]      max_pages, max_unzipped_mb, timeout_s (older names; [limits] wins)
  [thresholds]  rule parameters shared by several rules (satisfaction_floor …)
  [rules.XX00]  per-rule parameter overrides, e.g. [rules.IN05] floor = 90
  [severity]    per-rule severity overrides, e.g. IN03 = "info"
  select / ignore  lists of code prefixes
  [wordlists]   name = ["extra", "words"] appended to a shipped word list
  [rubric]      review-score rubric overrides, or rubric_file = "path.yaml"
  [scoring]     reverse_formula = "linear" | "ratio", tolerance …
  [review]      baseline = "jxcheck-baseline.toml": findings a reviewer dismissed
                (found in the working folder by default; see checker/core/dismiss.py)
  [ocr]         enabled, dpi, threads, low_confidence, max_pages, doubt_rules (scanned pages)
"""

from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checker.core.errors import ConfigError
from checker.core.limits import DEFAULT_LIMITS

DEFAULTS: dict[str, Any] = {
    "reader": {"max_pages": 200, "max_unzipped_mb": 200, "timeout_s": 120},
    "limits": dict(DEFAULT_LIMITS),
    "thresholds": {},
    "rules": {},
    "severity": {},
    "select": [],
    "ignore": [],
    "wordlists": {},
    "rubric": {},
    "scoring": {"reverse_formula": "linear", "tolerance": 0.1},
    "models": {"enabled": True},
    "review": {"baseline": None, "dismissals": []},
    # scanned pages (checker/reading/ocr): dpi pages are read at; a cell read below low_confidence
    # is flagged in findings; doubt_rules are arithmetic checks that become reading doubts
    "ocr": {"enabled": True, "dpi": 150, "threads": 0, "low_confidence": 0.8, "max_pages": 30,
            "doubt_rules": ["NU01", "NU02", "NU05", "NU06", "NU08", "NU09"]},
}


@dataclass
class Config:
    data: dict[str, Any] = field(default_factory=lambda: copy.deepcopy(DEFAULTS))
    source: str | None = None

    def section(self, name: str) -> dict[str, Any]:
        return self.data.get(name, {}) or {}

    def get(self, section: str, key: str, default: Any = None) -> Any:
        return self.section(section).get(key, default)


def _merge(base: dict, extra: dict) -> dict:
    out = dict(base)
    for k, v in extra.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = v
    return out


def load_config(path: str | Path | None = None, cwd: str | Path | None = None, baseline: str | Path | None = None) -> Config:
    """Load defaults, then ./jxcheck.toml if present, then `path` if given; then the baseline of
    dismissed findings (`baseline`, else `[review] baseline`, else ./jxcheck-baseline.toml|json)."""
    data = copy.deepcopy(DEFAULTS)
    source = None
    candidates = []
    local = Path(cwd or ".") / "jxcheck.toml"
    if local.is_file():
        candidates.append(local)
    if path is not None:
        p = Path(path)
        if not p.is_file():
            raise ConfigError(f"找不到配置文件：{p}")
        candidates.append(p)
    for p in candidates:
        try:
            extra = tomllib.loads(p.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"配置文件 {p} 格式错误：{exc}") from exc
        unknown = set(extra) - set(DEFAULTS)
        if unknown:
            raise ConfigError(f"配置文件 {p} 含有未知的配置节：{'、'.join(sorted(unknown))}")
        bad = set(extra.get("limits") or {}) - set(DEFAULT_LIMITS) if isinstance(extra.get("limits"), dict) else set()
        if bad:
            raise ConfigError(f"配置文件 {p} 的 [limits] 含有未知的上限：{'、'.join(sorted(bad))}")
        data = _merge(data, extra)
        source = str(p)
    _load_dismissals(data, cwd, baseline)
    return Config(data, source)


def _load_dismissals(data: dict[str, Any], cwd: str | Path | None, baseline: str | Path | None) -> None:
    from checker.core.dismiss import find_baseline, load_baseline

    review = data.setdefault("review", {})
    path = baseline or review.get("baseline")
    if path and not Path(path).is_absolute() and cwd:
        path = Path(cwd) / path
    path = path or find_baseline(cwd)
    if path:
        review["baseline"] = str(path)
        review["dismissals"] = load_baseline(path)
