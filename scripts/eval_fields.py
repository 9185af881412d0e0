"""How well the field of spending is recognised (checker.judging.library.detect_field), on eval/real.

Each real document carries the collector's own `sector` (free text, written before this ran);
SECTOR_FIELDS maps those words to library fields, and a document whose sector names several
(乡村振兴/水利) counts as right when any of them is detected. Sectors no field covers
(政协, 商务, 民族宗教 …) are expected as the common field 通用 or 机关运转与信息化.
"""

from __future__ import annotations

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
    "残疾人": "残疾人事业", "民政": "民政与社会救助", "养老": "民政与社会救助", "救助": "民政与社会救助", "民生补助": "民政与社会救助",
    "交通": "交通运输", "科技": "科学技术", "机关": "机关运转与信息化", "信息化": "机关运转与信息化", "党建": "机关运转与信息化",
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
    right, total, misses = 0, 0, Counter()
    for did, d in sorted(docs.items()):
        t = texts.get(did)
        if not t or not d.get("sector"):
            continue
        project = max(t["project"], key=len, default="") or d.get("title") or ""
        got = detect_field(project, " ".join(t["goal"][:3]), t["names"])
        ok = got in allowed(d["sector"])
        right += ok
        total += 1
        if not ok:
            misses[(d["sector"], got)] += 1
    print(f"项目所属领域识别（eval/real，按文档）：{right}/{total} = {right / max(total, 1):.3f}")
    for (sector, got), n in misses.most_common(15):
        print(f"  标注“{sector}” → 识别为“{got}” ×{n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
