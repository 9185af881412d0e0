"""Rule specifications: one YAML file per rule under rules/<category>/, validated on load.

`load_rules(config)` returns the rules after config is applied: select/ignore by code
prefix, [severity] overrides and [rules.CODE] parameter overrides. A bad rule file raises
ConfigError naming the file, so a bureau editing a rule sees exactly what is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from checker.core.errors import ConfigError
from checker.core.finding import CATEGORIES, SEVERITIES

FAMILIES = {
    "IN": "vague_indicator",
    "GO": "goal_mismatch",
    "CP": "perfunctory_completion",
    "AC": "weak_accountability",
    "NU": "inconsistency",
    "ST": "structure",
}
SCOPES = ("indicator", "goal", "completion", "document", "batch")
STATUSES = ("stable", "preview", "deprecated")
GENERIC_KINDS = ("lexicon", "pattern")
# A `classifier` rule has no check function: it holds the metadata of a model's findings,
# which checker.judging.classifiers.policy adds beside the rules (models/MODEL_CARD.md).
MODEL_KINDS = ("classifier",)
REQUIRED_KEYS = ("code", "name", "category", "severity", "title", "rationale", "scope", "kind", "message")
OPTIONAL_KEYS = (
    "status", "basis", "params", "wordlists", "suggestion", "weight", "examples", "measured",
)
CODE_RE = re.compile(r"^[A-Z]{2}\d{2}$")
NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class RuleSpec:
    code: str
    name: str
    category: str
    severity: str
    title: str
    rationale: str
    scope: str
    kind: str
    message: str
    status: str = "stable"
    basis: str = "heuristic"
    params: dict[str, Any] = field(default_factory=dict)
    wordlists: tuple[str, ...] = ()
    suggestion: str = ""
    weight: float | None = None
    examples: dict[str, list[Any]] = field(default_factory=dict)
    # how the severity was decided: per-rule precision on real labelled text (scripts/eval_real.py);
    # a note for maintainers, not shown to users
    measured: dict[str, Any] = field(default_factory=dict)
    path: str = ""  # file the rule came from, for error messages

    @property
    def check_name(self) -> str:
        """Registry name of the check: `python:foo` → `foo`, generic kinds as is."""
        return self.kind.split(":", 1)[1] if self.kind.startswith("python:") else self.kind

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "category": self.category,
            "severity": self.severity,
            "status": self.status,
            "title": self.title,
            "basis": self.basis,
            "scope": self.scope,
            "kind": self.kind,
        }


_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_FOLD_SPACE = re.compile(f"(?<=[{_CJK}])\\s+(?=[{_CJK}])")


def unfold(text: str) -> str:
    """Drop the spaces YAML folding (>-) puts between Chinese lines."""
    return _FOLD_SPACE.sub("", text.strip())


def _fail(path: str, msg: str) -> ConfigError:
    return ConfigError(f"规则文件 {path} 有误：{msg}")


def parse_rule(data: Any, path: str) -> RuleSpec:
    """Validate one rule's YAML data and build its RuleSpec."""
    if not isinstance(data, dict):
        raise _fail(path, "内容必须是键值映射")
    missing = [k for k in REQUIRED_KEYS if not data.get(k)]
    if missing:
        raise _fail(path, f"缺少字段 {'、'.join(missing)}")
    unknown = set(data) - set(REQUIRED_KEYS) - set(OPTIONAL_KEYS)
    if unknown:
        raise _fail(path, f"未知字段 {'、'.join(sorted(unknown))}")
    code, name = str(data["code"]), str(data["name"])
    if not CODE_RE.match(code):
        raise _fail(path, f"规则代码 {code} 应为两个大写字母加两位数字")
    if not NAME_RE.match(name):
        raise _fail(path, f"规则名 {name} 应为小写短横线格式（kebab-case）")
    if data["category"] not in CATEGORIES:
        raise _fail(path, f"类别 {data['category']} 无效")
    if FAMILIES.get(code[:2]) != data["category"]:
        raise _fail(path, f"代码前缀 {code[:2]} 与类别 {data['category']} 不符")
    if data["severity"] not in SEVERITIES:
        raise _fail(path, f"严重程度 {data['severity']} 无效（error/warning/info）")
    status = data.get("status", "stable")
    if status not in STATUSES:
        raise _fail(path, f"状态 {status} 无效（stable/preview）")
    if data["scope"] not in SCOPES:
        raise _fail(path, f"适用范围 {data['scope']} 无效")
    kind = str(data["kind"])
    if not (kind.startswith("python:") or kind in GENERIC_KINDS or kind in MODEL_KINDS):
        raise _fail(path, f"检查类型 {kind} 无效")
    params = data.get("params") or {}
    if not isinstance(params, dict):
        raise _fail(path, "params 必须是键值映射")
    examples = data.get("examples") or {}
    if not isinstance(examples, dict) or not all(isinstance(v, list) for v in examples.values()):
        raise _fail(path, "examples 必须含 bad/good 列表")
    wl = data.get("wordlists") or []
    if isinstance(wl, str):
        wl = [wl]
    measured = data.get("measured") or {}
    if isinstance(measured, str):
        measured = {"note": measured}
    if not isinstance(measured, dict):
        raise _fail(path, "measured 必须是键值映射或一句说明")
    return RuleSpec(
        code=code,
        name=name,
        category=data["category"],
        severity=data["severity"],
        title=str(data["title"]).strip(),
        rationale=unfold(str(data["rationale"])),
        scope=data["scope"],
        kind=kind,
        message=str(data["message"]).strip(),
        status=status,
        basis=str(data.get("basis") or "heuristic").strip(),
        params=dict(params),
        wordlists=tuple(str(w) for w in wl),
        suggestion=str(data.get("suggestion") or "").strip(),
        weight=data.get("weight"),
        examples={k: list(v) for k, v in examples.items()},
        measured=dict(measured),
        path=path,
    )


NOT_RULE_DIRS = ("wordlists", "rubric", "library", "__pycache__")  # data beside the rules, not rules


def _rule_files(rules_dir: str | Path | None) -> list[tuple[str, str]]:
    """(display path, text) of every rule YAML, sorted by path; word lists excluded."""
    out = []
    if rules_dir is None:
        root = resources.files("checker.rules")
        for cat in sorted(root.iterdir(), key=lambda p: p.name):
            if not cat.is_dir() or cat.name in NOT_RULE_DIRS:
                continue
            for f in sorted(cat.iterdir(), key=lambda p: p.name):
                if f.name.endswith(".yaml"):
                    out.append((f"rules/{cat.name}/{f.name}", f.read_text(encoding="utf-8")))
    else:
        root = Path(rules_dir)
        for f in sorted(root.glob("*/*.yaml")):
            if f.parent.name in NOT_RULE_DIRS:
                continue
            out.append((str(f), f.read_text(encoding="utf-8")))
    return out


def load_yaml(text: str) -> Any:
    """yaml.safe_load with libyaml's parser where PyYAML has it (same data, about 8× faster:
    every process that checks reads all the rule files once), and the data of a text already
    parsed once kept in a cache file (see _YamlCache): PyYAML builds its objects in Python, which
    costs more than libyaml's parse."""
    return _YAML_CACHE.load(text)


def _parse_yaml(text: str) -> Any:
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


class _YamlCache:
    """Parsed YAML by the SHA-256 of its text, marshalled in one file of the user's cache folder
    (the folder jieba's split dictionary uses). A text not in it is parsed and added when the rules
    have been loaded (`save`); data marshal cannot hold (a YAML date) is not kept. Each load gives
    fresh objects, as a parse does. Anything wrong with the file (missing, damaged, not writable)
    only means parsing again."""

    FORMAT = b"JXYAML01"
    LIMIT = 4000  # entries kept: texts of older rule versions are dropped past it

    def __init__(self) -> None:
        self.entries: dict[bytes, bytes] | None = None
        self.added: dict[bytes, bytes] = {}

    def path(self) -> str:
        import os

        from checker.core.segdict import cache_dir

        return os.path.join(cache_dir(), "yaml-v1.marshal")

    def _read(self) -> dict[bytes, bytes]:
        import marshal

        try:
            with open(self.path(), "rb") as fh:
                blob = fh.read()
            if blob[:8] == self.FORMAT:
                data = marshal.loads(blob[8:])
                if isinstance(data, dict):
                    return data
        except Exception:  # missing or damaged: parse again
            pass
        return {}

    def load(self, text: str) -> Any:
        import hashlib
        import marshal

        if self.entries is None:
            self.entries = self._read()
        key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
        blob = self.entries.get(key)
        if blob is not None:
            try:
                return marshal.loads(blob)
            except Exception:
                pass
        data = _parse_yaml(text)
        try:
            blob = marshal.dumps(data)
            if marshal.loads(blob) == data:  # only types marshal keeps as they are
                self.entries[key] = self.added[key] = blob
        except (ValueError, TypeError):
            pass
        return data

    def save(self) -> None:
        """Write the texts parsed since the last save (with what the file already holds)."""
        if not self.added:
            return
        import marshal

        from checker.core.atomic import write_atomic

        added, self.added = self.added, {}
        try:
            entries = self._read()
            if len(entries) + len(added) > self.LIMIT:
                entries = {}
            entries.update(added)
            write_atomic(self.path(), self.FORMAT + marshal.dumps(entries), make_parent=True)
        except Exception:  # a cache that cannot be written: the next process parses again
            pass


_YAML_CACHE = _YamlCache()


def save_yaml_cache() -> None:
    _YAML_CACHE.save()


@lru_cache(maxsize=8)
def _load_all(rules_dir: str | None) -> tuple[RuleSpec, ...]:
    specs: list[RuleSpec] = []
    seen: dict[str, str] = {}
    for path, text in _rule_files(rules_dir):
        try:
            data = load_yaml(text)
        except Exception as exc:
            import yaml

            if isinstance(exc, yaml.YAMLError):
                raise _fail(path, f"YAML 格式错误：{exc}") from exc
            raise
        spec = parse_rule(data, path)
        folder = Path(path).parent.name
        if folder != spec.category:
            raise _fail(path, f"所在文件夹 {folder} 与类别 {spec.category} 不符")
        if Path(path).stem != f"{spec.code}-{spec.name}":
            raise _fail(path, f"文件名应为 {spec.code}-{spec.name}.yaml")
        if spec.code in seen:
            raise _fail(path, f"规则代码 {spec.code} 与 {seen[spec.code]} 重复")
        seen[spec.code] = path
        specs.append(spec)
    _YAML_CACHE.save()
    return tuple(sorted(specs, key=lambda s: s.code))


def all_rules(rules_dir: str | Path | None = None) -> list[RuleSpec]:
    """Every rule as shipped (no config applied)."""
    return list(_load_all(str(rules_dir) if rules_dir is not None else None))


def _prefix_match(code: str, prefixes: list[str]) -> int:
    """Length of the longest prefix in `prefixes` that `code` starts with (0 = none)."""
    return max((len(p) for p in prefixes if code.startswith(p)), default=0)


def selected(code: str, select: list[str], ignore: list[str]) -> bool:
    """Longest prefix wins between select and ignore; empty select means all."""
    s = _prefix_match(code, select) if select else 0
    i = _prefix_match(code, ignore)
    if select and s == 0:
        return False
    return not (i and i >= s)


def load_rules(config: Any = None, rules_dir: str | Path | None = None) -> list[RuleSpec]:
    """Rules after config: select/ignore by prefix, severity overrides, [rules.CODE] params."""
    specs = all_rules(rules_dir)
    if config is None:
        return specs
    select = [str(p).upper() for p in config.data.get("select") or []]
    ignore = [str(p).upper() for p in config.data.get("ignore") or []]
    sev = {str(k).upper(): v for k, v in config.section("severity").items()}
    overrides = {str(k).upper(): v for k, v in config.section("rules").items()}
    shared = config.section("thresholds")  # shared parameters, e.g. satisfaction_floor
    known = {s.code for s in specs}
    for code in list(sev) + list(overrides):
        if code not in known:
            raise ConfigError(f"配置中的规则代码 {code} 不存在（可用 jxcheck rules 查看全部规则）")
    out = []
    for s in specs:
        if not selected(s.code, select, ignore):
            continue
        if s.code in sev:
            if sev[s.code] not in SEVERITIES:
                raise ConfigError(f"[severity] {s.code} = {sev[s.code]!r} 无效，应为 error/warning/info")
            s = replace(s, severity=sev[s.code])
        common = {k: shared[k] for k in s.params if k in shared}
        if common:
            s = replace(s, params={**s.params, **common})
        if s.code in overrides:
            extra = overrides[s.code]
            if not isinstance(extra, dict):
                raise ConfigError(f"[rules.{s.code}] 必须是参数表")
            s = replace(s, params={**s.params, **extra})
        out.append(s)
    return out
