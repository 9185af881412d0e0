"""What a plain check pays for: checking one .docx imports no scikit-learn while no model is kept
for findings (the models' card says so), no web, PDF or report library, not python-docx (the
package is read directly), and only the part of jieba's dictionary its texts need."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = next((ROOT / "samples").glob("s01_*.docx"))

PROBE = """
import json, sys
from checker.api import check_file
r = check_file(sys.argv[1])
assert r.ok, r.error
print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))
"""

# What a worker has loaded after checking one .docx: the third-party packages, and how much of
# jieba's dictionary (the whole of it took half a second to load).
WORKER_PROBE = """
import json, sys
from checker.api import check_bytes_all
from checker.core.config import load_config
rs = check_bytes_all(open(sys.argv[1], 'rb').read(), sys.argv[1], load_config())
assert rs[0].ok, rs[0].error
third = sorted({m.split('.')[0] for m in sys.modules} - set(sys.stdlib_module_names))
jieba = sys.modules.get('jieba')
freq = jieba.dt.FREQ if jieba else None
print(json.dumps({"third": third, "freq": type(freq).__name__, "loaded": freq.loaded() if hasattr(freq, "loaded") else None}))
"""
# Packages a plain .docx check may load: the reader's and the rules' (build noise aside).
ALLOWED = {"lxml", "yaml", "jieba"}
NOISE_PREFIXES = ("_cython", "cython_runtime", "_distutils_hack", "__editable__", "__main__", "checker")


def kept_models() -> list[str]:
    return [k for k in ("indicator", "goal", "completion") if json.loads((ROOT / "models" / k / "card.json").read_text(encoding="utf-8")).get("kept")]


def test_plain_docx_check_imports_only_what_it_uses():
    out = subprocess.run([sys.executable, "-c", PROBE, str(SAMPLE)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stderr
    mods = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert "lxml" in mods  # it did read the file (its parts, directly: python-docx is the fallback)
    assert "docx" not in mods
    for heavy in ("streamlit", "pdfplumber", "reportlab", "playwright", "openpyxl", "pandas"):
        assert heavy not in mods, f"{heavy} imported by a plain .docx check"
    if not kept_models():
        assert "sklearn" not in mods and "scipy" not in mods


def test_a_docx_check_loads_only_the_reader_rules_and_jieba_in_part():
    out = subprocess.run([sys.executable, "-c", WORKER_PROBE, str(SAMPLE)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout.strip().splitlines()[-1])
    third = {m for m in got["third"] if not m.startswith(NOISE_PREFIXES)}
    assert third <= ALLOWED, sorted(third - ALLOWED)
    assert "pkg_resources" not in third  # jieba imports it only to find its own files
    # jieba answers from its dictionary split by first character: a few hundred of ~7,000 parts
    assert got["freq"] == "ShardedFreq" and 0 < got["loaded"] < 1500, got


def test_rule_yaml_comes_from_the_cache_after_the_first_check(tmp_path):
    """The first check parses the rule, library and rubric YAML and keeps the data in the cache
    folder; the next process reads it from there (same data, see test_yaml_cache) without PyYAML."""
    import os

    env = {**os.environ, "JXCHECK_CACHE_DIR": str(tmp_path)}
    first, second = (subprocess.run([sys.executable, "-c", PROBE, str(SAMPLE)], capture_output=True, text=True, cwd=ROOT, timeout=300, env=env)
                     for _ in range(2))  # fmt: skip
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert "yaml" in json.loads(first.stdout.strip().splitlines()[-1])
    assert "yaml" not in json.loads(second.stdout.strip().splitlines()[-1])
    assert (tmp_path / "yaml-v1.marshal").is_file()
