"""How well the field of spending is recognised (checker.judging.library.detect_field), on eval/real.

Each real document carries the collector's own `sector` (free text, written before this ran);
SECTOR_FIELDS maps those words to library fields, and a document whose sector names several
(乡村振兴/水利) counts as right when any of them is detected. Sectors no field covers
(政协, 商务, 民族宗教 …) are expected as the common field 通用 or 机关运转与信息化.

Documents are split in two halves by a hash of doc_id: keyword and weight choices are made
looking at the dev half only; the test half is reported as it comes. The document's title
stands in for the unit name (real documents' titles carry it; eval/real has no unit column).
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker.judging.library import COMMON, detect_field  # noqa: E402

SECTOR_FIELDS = {
    "农业": "农业农村", "农村": "农业农村", "乡村振兴": "农业农村", "扶贫": "农业农村", "林果": "农业农村", "设施农业": "农业农村",
    "粮食": "农业农村", "畜牧": "农业农村", "定点帮扶": "农业农村", "人居环境": "农业农村",
    "水利": "水利", "防汛": "水利", "卫生": "卫生健康", "医疗": "卫生健康", "健康": "卫生健康", "教育": "教育", "学校": "教育",
    "文旅": "文化旅游体育", "文化": "文化旅游体育", "文体": "文化旅游体育", "体育": "文化旅游体育", "文物": "文化旅游体育", "旅游": "文化旅游体育",
    "生态": "生态环境", "环境": "生态环境", "林业": "生态环境", "自然资源": "生态环境", "环保": "生态环境",
    "就业": "人力资源社会保障", "人社": "人力资源社会保障", "社保": "人力资源社会保障",
    "应急": "公共安全与应急", "司法": "公共安全与应急", "公安": "公共安全与应急", "消防": "公共安全与应急", "市场监管": "公共安全与应急",
    "城建": "住房城乡建设", "城乡建设": "住房城乡建设", "住建": "住房城乡建设", "物业": "住房城乡建设", "城市管理": "住房城乡建设",
    "民政": "民政与社会救助", "养老": "民政与社会救助", "救助": "民政与社会救助", "民生补助": "民政与社会救助",
    "交通": "交通运输", "科技": "科学技术", "科普": "科学技术", "园林": "住房城乡建设", "退役军人": "民政与社会救助",
    "人才": "人力资源社会保障", "残疾人": "残疾人事业", "机关": "机关运转与信息化", "信息化": "机关运转与信息化", "党建": "机关运转与信息化",
}
GENERAL = {COMMON, "机关运转与信息化"}


def allowed(sector: str) -> set[str]:
    out = {f for k, f in SECTOR_FIELDS.items() if k in sector}
    return out or GENERAL


def main() -> int:
    parts = ROOT / "eval" / "real" / "parts"
    docs = {}
    for f in sorted(parts.glob("*-documents.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                docs[d["doc_id"]] = d
    texts: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"project": [], "goal": [], "names": []})
    for kind, key in (("indicators", "name"), ("goals", "goal")):
        for f in sorted(parts.glob(f"*-{kind}.jsonl")):
            for line in f.read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                r = json.loads(line)
                t = texts[r.get("doc_id")]
                t["project"].append(r.get("project") or "")
                t["names" if kind == "indicators" else "goal"].append(r.get(key) or "")
    score: dict[str, list[int]] = {"dev": [0, 0], "test": [0, 0]}
    misses: dict[str, Counter] = {"dev": Counter(), "test": Counter()}
    for did, d in sorted(docs.items()):
        t = texts.get(did)
        if not t or not d.get("sector"):
            continue
        project = max(t["project"], key=len, default="") or d.get("title") or ""
        got = detect_field(project, " ".join(t["goal"][:3]), t["names"], d.get("title"))
        ok = got in allowed(d["sector"])
        half = half_of(did)
        score[half][0] += ok
        score[half][1] += 1
        if not ok:
            misses[half][(d["sector"], got)] += 1
    right, total = score["dev"][0] + score["test"][0], score["dev"][1] + score["test"][1]
    print(f"项目所属领域识别（eval/real，按文档）：全部 {right}/{total} = {right / max(total, 1):.3f}")
    for half in ("dev", "test"):
        r, n = score[half]
        print(f"  {half}（{'调参用' if half == 'dev' else '只报告'}）：{r}/{n} = {r / max(n, 1):.3f}")
    for half in ("dev", "test"):
        for (sector, got), n in misses[half].most_common(10):
            print(f"  [{half}] 标注“{sector}” → 识别为“{got}” ×{n}")
    return 0


def half_of(doc_id: str) -> str:
    """dev or test, fixed by the document id (never by its content or label)."""
    return "dev" if int(hashlib.sha1(doc_id.encode()).hexdigest(), 16) % 2 == 0 else "test"


if __name__ == "__main__":
    raise SystemExit(main())
