"""`jxcheck snippet`: check one indicator, goal or completion text without a document."""

from __future__ import annotations

import argparse
import json
import sys

HELP = "单条检查：指标、目标或完成情况文字"

EPILOG = """\
用法示例：
  jxcheck snippet "群众满意度：明显提升"                 指标，写作“指标名称：年度指标值”
  jxcheck snippet --name 群众满意度 --target 明显提升      指标，分字段给出
  jxcheck snippet --kind goal "做好各项工作" --project 某某项目
  jxcheck snippet --kind completion "已按计划完成"
  jxcheck snippet --jsonl requests.jsonl                 每行一个请求，按原顺序逐行输出答复
  cat requests.jsonl | jxcheck snippet --jsonl -

指标文字以第一个“：”或“:”分开指标名称和指标值；没有冒号时整段作为指标值，指标名称须用 --name 给出。
在终端上输出中文说明；输出被重定向或加 --format json 时，每个答复一行 JSON：
id、kind、flagged（是否有本类问题）、category、probability、findings。
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.epilog = EPILOG
    p.add_argument("text", nargs="?", metavar="TEXT", help="要检查的文字（指标写作“名称：指标值”）")
    p.add_argument("--kind", choices=["indicator", "goal", "completion"], default=None, help="检查对象类型（默认 indicator；--jsonl 时用于未写 kind 的请求）")
    p.add_argument("--jsonl", metavar="FILE", help="从 JSON Lines 文件读取请求（- 为标准输入）")
    p.add_argument("--project", help="项目名称（可选，作为上下文）")
    p.add_argument("--name", help="指标名称（kind=indicator）")
    p.add_argument("--target", help="年度指标值（kind=indicator）")
    p.add_argument("--actual", help="实际完成值（kind=indicator，可选）")
    p.add_argument("--level1", help="一级指标（可选）")
    p.add_argument("--level2", help="二级指标（可选）")
    p.add_argument("--goal", help="对应的年度目标（kind=completion，可选）")
    p.add_argument("--context", help="项目情况等上下文（kind=goal，可选）")
    p.add_argument("--format", choices=["text", "json"], default=None, help="输出格式（终端默认 text，否则 json；--jsonl 时总是 JSON Lines）")
    p.add_argument("--color", choices=["auto", "always", "never"], default="auto", help="按严重程度着色（默认 auto）")
    p.add_argument("--no-models", action="store_true", help="只用规则，不用模型")
    p.add_argument("--config", metavar="FILE", help="配置文件（jxcheck.toml 格式）")


def request_from_args(args: argparse.Namespace) -> dict:
    """Build one snippet request from the command-line arguments."""
    kind = args.kind or "indicator"
    req: dict = {"id": "1", "kind": kind}
    if args.project:
        req["project"] = args.project
    text = args.text
    if kind == "indicator":
        name, target = args.name, args.target
        if text is not None and target is None:
            import re

            parts = re.split(r"[：:]", text, maxsplit=1)
            if len(parts) == 2 and name is None:
                name, target = parts[0].strip(), parts[1].strip()
            else:  # no colon: the text is the value; the name must come from --name
                target = text.strip()
        req.update({"name": name, "target": target})
        for k in ("actual", "level1", "level2"):
            if getattr(args, k) is not None:
                req[k] = getattr(args, k)
    elif kind == "goal":
        req["goal"] = text if text is not None else args.goal
        if args.context:
            req["context"] = args.context
    else:
        req["completion"] = text
        if args.goal:
            req["goal"] = args.goal
    return req


MAX_LINE_BYTES = 1 << 20  # one request line; a longer one is answered with too_long and skipped


def _lines(stream):
    """(line number, bytes) per line of a binary stream, each at most MAX_LINE_BYTES (+1 to mark an overlong one)."""
    n = 0
    while True:
        line = stream.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        n += 1
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            while True:  # skip the rest of the overlong line without holding it
                rest = stream.readline(MAX_LINE_BYTES)
                if not rest or rest.endswith(b"\n"):
                    break
            yield n, None
            continue
        yield n, line


def iter_requests(stream):
    """(request or None, error answer or None) per non-empty line, in order. Never raises for
    a bad line: undecodable bytes, bad JSON, JSON nested thousands deep and overlong lines
    each get an error answer and the stream goes on."""
    import io

    if isinstance(stream, io.TextIOBase) and not hasattr(stream, "buffer"):
        stream = _TextAsBytes(stream)
    stream = getattr(stream, "buffer", stream)
    for n, raw in _lines(stream):
        if raw is None:
            yield None, {"id": None, "line": n, "error": {"code": "too_long", "message": f"第{n}行超过 {MAX_LINE_BYTES // 1024} KB，已跳过"}}
            continue
        if n == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            yield None, {"id": None, "line": n, "error": {"code": "bad_encoding", "message": f"第{n}行不是 UTF-8 编码的文字"}}
            continue
        try:
            req = json.loads(line)
        except json.JSONDecodeError as exc:
            yield None, {"id": None, "line": n, "error": {"code": "bad_json", "message": f"第{n}行不是有效的 JSON：{exc.msg}"}}
            continue
        except (RecursionError, ValueError, MemoryError):
            yield None, {"id": None, "line": n, "error": {"code": "bad_json", "message": f"第{n}行不是有效的 JSON（嵌套过深或数值无效）"}}
            continue
        if not isinstance(req, dict):
            yield None, {"id": None, "line": n, "error": {"code": "bad_request", "message": f"第{n}行必须是 JSON 对象"}}
            continue
        yield req, None


class _TextAsBytes:
    """A text stream (tests pass io.StringIO) read as UTF-8 bytes lines."""

    def __init__(self, stream):
        self.stream = stream

    def readline(self, limit: int = -1) -> bytes:
        return self.stream.readline(limit).encode("utf-8", "surrogatepass")


def dump_answer(answer: dict) -> str:
    """One answer line: Chinese kept readable; a lone surrogate becomes a JSON escape, never an error."""
    text = json.dumps(answer, ensure_ascii=False, allow_nan=True, default=str)
    return text.encode("utf-8", "backslashreplace").decode("utf-8") if _has_surrogate(text) else text


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True


def run(args: argparse.Namespace) -> int:
    from checker.core.config import load_config

    config = load_config(args.config)
    models = not args.no_models
    out = sys.stdout
    if args.jsonl:
        if args.text is not None:
            print("使用 --jsonl 时不要再给出 TEXT。", file=sys.stderr)
            return 2
        try:
            stream = sys.stdin.buffer if args.jsonl == "-" else open(args.jsonl, "rb")
        except OSError:
            print(f"无法读取请求文件：{args.jsonl}", file=sys.stderr)
            return 2
        try:
            with stream:
                for req, err in iter_requests(stream):
                    if req is not None and args.kind and "kind" not in req:
                        req["kind"] = args.kind
                    answer = err if err is not None else _safe_check(req, config, models)
                    out.write(dump_answer(answer) + "\n")
                    out.flush()
        except BrokenPipeError:  # the reader went away (… | head): stop quietly
            _quiet_stdout()
        return 0
    req = request_from_args(args)
    answer = _safe_check(req, config, models)
    fmt = args.format or ("text" if out.isatty() else "json")
    if fmt == "text":
        from checker.commands.check import use_colour
        from checker.publishing.text import render_snippet

        out.write(render_snippet(answer, color=use_colour(args.color, out)) + "\n")
    else:
        out.write(dump_answer(answer) + "\n")
    return 2 if "error" in answer else 0


def _quiet_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass


def _safe_check(req: dict, config, models: bool) -> dict:
    """check_snippet, with any unexpected failure answered as an error line (order kept)."""
    from checker.judging.engine import check_snippet

    try:
        return check_snippet(req, config, models=models)
    except Exception as exc:  # one bad request must not end a long --jsonl run
        from checker.reading.snippet import safe_id

        kind = req.get("kind") if isinstance(req.get("kind"), str) else None
        return {"id": safe_id(req.get("id")), "kind": kind, "error": {"code": "internal_error", "message": f"检查时发生内部错误：{type(exc).__name__}"}}
