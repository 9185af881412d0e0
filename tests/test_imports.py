"""What a plain check pays for: checking one .docx imports no scikit-learn while no model is kept
for findings (the models' card says so), and no web, PDF or report library."""

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


def kept_models() -> list[str]:
    return [k for k in ("indicator", "goal", "completion") if json.loads((ROOT / "models" / k / "card.json").read_text(encoding="utf-8")).get("kept")]


def test_plain_docx_check_imports_only_what_it_uses():
    out = subprocess.run([sys.executable, "-c", PROBE, str(SAMPLE)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stderr
    mods = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert "docx" in mods  # it did read the file
    for heavy in ("streamlit", "pdfplumber", "reportlab", "playwright", "openpyxl", "pandas"):
        assert heavy not in mods, f"{heavy} imported by a plain .docx check"
    if not kept_models():
        assert "sklearn" not in mods and "scipy" not in mods
