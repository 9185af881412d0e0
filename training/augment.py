"""Paraphrase families written for training (models/data/<kind>_extra.jsonl).

Each family = one template × one project topic; its rows vary the wording. Topics and
phrasings are written here from the general shape of the problems (domain.md, corpus
README), not copied from corpus rows. Every row records `source: "generated:<template>"`
and `family`, so cross-validation can keep a family together. Deterministic: a fixed seed
and sorted output.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

SEED = 7

# topic: project, sector, activity (verb+object), output name, unit, low/high quantities,
# beneficiary, effect (what improves), expense items
TOPICS = [
    ("农村公路养护项目", "交通", "养护农村公路", "农村公路养护里程", "公里", (60, 420), "沿线群众", "出行条件", "路面修补、边沟清理"),
    ("义务教育学生营养改善计划", "教育", "为农村义务教育学生提供营养膳食补助", "受助学生人数", "人", (800, 6000), "在校学生", "营养健康状况", "食材采购、食堂运营"),
    ("城乡居民基本医疗保险参保补助", "医保", "资助困难群众参加城乡居民医保", "资助参保人数", "人", (1500, 20000), "困难群众", "就医负担", "参保资助"),
    ("高标准农田建设项目", "农业", "建设高标准农田", "新建高标准农田面积", "亩", (2000, 30000), "项目区农户", "农业综合生产能力", "土地平整、灌排设施"),
    ("公共文化场馆免费开放补助", "文化", "保障图书馆、文化馆免费开放", "举办公益文化活动场次", "场", (40, 300), "城乡居民", "公共文化服务水平", "活动组织、设备维护"),
    ("农村饮水安全巩固提升工程", "水利", "新建和改造农村集中供水工程", "新建改造供水工程数量", "处", (5, 60), "农村人口", "饮水安全保障水平", "管网铺设、水源保护"),
    ("困难残疾人生活补贴", "民政", "发放困难残疾人生活补贴", "补贴发放人数", "人", (300, 5000), "困难残疾人", "基本生活", "补贴发放"),
    ("城市生活垃圾清运服务", "环卫", "清运处置城市生活垃圾", "生活垃圾清运量", "吨", (5000, 90000), "城区居民", "市容环境卫生", "车辆运行、人员劳务"),
    ("森林防火专项经费", "林业", "开展森林火险巡护和防火宣传", "森林防火巡护次数", "次", (100, 900), "林区群众", "森林资源安全", "物资采购、巡护补助"),
    ("职业技能培训补贴", "人社", "组织城乡劳动者参加职业技能培训", "培训人数", "人次", (200, 3000), "城乡劳动者", "就业能力", "培训补贴、教材"),
    ("老旧小区改造项目", "住建", "改造老旧小区", "改造老旧小区数量", "个", (3, 40), "小区居民", "居住条件", "管网改造、外墙保温"),
    ("基层医疗卫生机构设备购置", "卫健", "为乡镇卫生院购置诊疗设备", "购置设备数量", "台", (10, 120), "基层群众", "基层诊疗能力", "设备采购"),
    ("动物疫病强制免疫补助", "畜牧", "开展重大动物疫病强制免疫", "免疫畜禽数量", "万头", (5, 80), "养殖户", "动物疫病防控能力", "疫苗采购、免疫补助"),
    ("公共法律服务体系建设", "司法", "提供公共法律咨询和法律援助", "办理法律援助案件数", "件", (80, 900), "困难群众", "法律服务可及性", "案件补贴、宣传"),
    ("河道保洁管护项目", "水利", "开展河道日常保洁和巡查", "保洁河道长度", "公里", (30, 300), "沿河居民", "河道水环境", "保洁劳务、打捞设备"),
    ("市场监管食品抽检经费", "市场监管", "开展食品安全监督抽检", "食品抽检批次", "批次", (200, 2500), "消费者", "食品安全水平", "抽样检验费"),
]

VAGUE_TARGETS = ["明显提升", "有效改善", "逐步提高", "进一步加强", "得到保障", "较好", "显著增强", "持续改善", "稳步提升",
                 "基本满足需求", "有所提高", "大幅提升", "不断完善", "效果良好", "得到有效发挥", "切实提高"]
GENERIC_NAMES = ["社会效益", "经济效益", "可持续影响", "项目效益", "工作质量", "管理水平", "服务水平", "影响力"]
GENERIC_TARGETS = ["良好", "显著", "有所提升", "较好", "长期", "提升", "高", "好"]
SLOGANS = [
    "深入贯彻落实党中央、国务院决策部署，推动{sector}事业高质量发展，不断增强人民群众的获得感、幸福感、安全感。",
    "坚持以人民为中心的发展思想，全面提升{sector}工作水平，为经济社会发展提供有力保障。",
    "进一步加强{sector}工作，充分发挥财政资金作用，营造良好发展氛围，助力全面建设现代化。",
    "切实履行{sector}领域职责，推动各项工作再上新台阶，实现社会效益和经济效益双提升。",
]
DUTIES = [
    "保障单位正常运转，确保各项日常工作顺利开展。",
    "履行{sector}管理职能，做好本单位日常办公和业务工作。",
    "承担全县{sector}相关工作，负责{sector}政策的组织实施和监督管理。",
    "用于保障{sector}部门人员经费和公用经费支出，维持机构正常运行。",
]
FUND_NOTES = [
    "本项目年度预算资金{money}万元，主要用于{expense}等支出。",
    "本年度安排{sector}专项资金{money}万元，资金按规定用途拨付使用。",
    "项目资金{money}万元，其中{expense}等支出{part}万元，其余用于其他相关支出。",
]
DONE = ["已完成。", "按计划完成各项工作。", "达到预期目标。", "圆满完成年度目标任务。", "项目已顺利实施，取得良好成效。",
        "全部完成", "已按要求完成年度绩效目标。", "完成情况良好，达到预期效果。", "基本完成", "各项工作有序推进，成效明显。"]
BUDGET_ONLY = [
    "项目预算{money}万元，已全部支付，预算执行率100%。",
    "全年预算数{money}万元，执行数{money}万元，资金执行率达到100%。",
    "截至年底，项目资金{money}万元已全部拨付到位，资金使用规范。",
]


def _rows_indicator(rng: random.Random) -> list[dict]:
    rows = []
    for n, t in enumerate(TOPICS):
        project, sector, activity, output, unit, (lo, hi), benef, effect, _exp = t
        fam = f"t{n:02d}"
        q = rng.randint(lo, hi)
        for v in rng.sample(VAGUE_TARGETS, 3):
            rows.append(dict(template="ind-vague-effect", family=f"ind-vague-effect/{fam}", project=project, level1="效益指标",
                             level2="社会效益指标", name=f"{benef}{effect}", target=v, actual=None, label="vague"))
        for g, v in zip(rng.sample(GENERIC_NAMES, 2), rng.sample(GENERIC_TARGETS, 2), strict=True):
            rows.append(dict(template="ind-generic-name", family=f"ind-generic-name/{fam}", project=project, level1="效益指标",
                             level2=rng.choice(["社会效益指标", "可持续影响指标", "经济效益指标"]), name=g, target=v, actual=None, label="vague"))
        rows.append(dict(template="ind-vague-output", family=f"ind-vague-output/{fam}", project=project, level1="产出指标",
                         level2="数量指标", name=output, target=rng.choice(["按计划完成", "逐步增加", "应保尽保", "全面覆盖"]),
                         actual=None, label="vague"))
        rows.append(dict(template="ind-low-satisfaction", family=f"ind-low-satisfaction/{fam}", project=project, level1="满意度指标",
                         level2="服务对象满意度指标", name=f"{benef}满意度", target=f"≥{rng.choice([30, 40, 50, 60])}%", actual=None, label="vague"))
        # ok families
        for fmt in ("≥{q}{u}", "{q}{u}", "不少于{q}{u}"):
            rows.append(dict(template="ind-quantity", family=f"ind-quantity/{fam}", project=project, level1="产出指标", level2="数量指标",
                             name=output, target=fmt.format(q=q, u=unit), actual=f"{q + rng.randint(0, 5)}{unit}", label="ok"))
        rows.append(dict(template="ind-rate", family=f"ind-rate/{fam}", project=project, level1="产出指标", level2="质量指标",
                         name=rng.choice([f"{output}完成率", "补助资金发放准确率", f"{project}验收合格率", f"{benef}覆盖率"]),
                         target=rng.choice(["≥95%", "=100%", "100%", "≥98%"]),
                         actual="100%", label="ok"))
        rows.append(dict(template="ind-date", family=f"ind-date/{fam}", project=project, level1="产出指标", level2="时效指标",
                         name=rng.choice(["完成时间", "资金拨付时间", "项目完工时间"]),
                         target=rng.choice(["2024年12月31日前", "2023年10月底前", "12月底前完成", "≤2024年6月30日"]), actual=None, label="ok"))
        rows.append(dict(template="ind-standard", family=f"ind-standard/{fam}", project=project, level1="产出指标", level2="质量指标",
                         # a named, checkable standard; generic names (服务质量) and unnamed standards are not ok
                         name=rng.choice([f"{project}验收", f"{output}质量达标情况", f"{project}竣工验收"]),
                         target=rng.choice(["验收合格", "一次性验收合格", "符合《项目管理办法》要求", "通过县级主管部门验收"]), actual=None, label="ok"))
        rows.append(dict(template="ind-cost", family=f"ind-cost/{fam}", project=project, level1="产出指标", level2="成本指标",
                         name=rng.choice(["项目总成本", "单位成本", "补助标准"]),
                         target=rng.choice([f"≤{rng.randint(20, 900)}万元", f"{rng.randint(50, 3000)}元/{unit}", f"≤{rng.randint(5, 80)}万元"]),
                         actual=None, label="ok"))
        rows.append(dict(template="ind-satisfaction", family=f"ind-satisfaction/{fam}", project=project, level1="满意度指标",
                         level2="服务对象满意度指标", name=f"{benef}满意度", target=rng.choice(["≥90%", "≥85%", "≥95%", "90%"]), actual=None, label="ok"))
        rows.append(dict(template="ind-effect-number", family=f"ind-effect-number/{fam}", project=project, level1="效益指标",
                         level2="社会效益指标", name=f"受益{benef}数量", target=f"≥{rng.randint(lo, hi)}{'人' if unit not in ('人', '人次') else unit}",
                         actual=None, label="ok"))
    return rows


def _ok_goal(rng: random.Random, t, year: int) -> str:
    project, sector, activity, output, unit, (lo, hi), benef, effect, _exp = t
    q, m = rng.randint(lo, hi), rng.randint(300, 20000)
    forms = [
        f"{year}年{activity}{q}{unit}，惠及{benef}{m}人，{effect}得到改善。",
        f"通过{activity}，全年完成{output}{q}{unit}，验收合格率达到95%以上，{benef}满意度不低于90%。",
        f"年内{activity}，计划完成{q}{unit}，于{year}年12月底前完成资金拨付，改善{benef}{effect}。",
    ]
    return rng.choice(forms)


def _rows_goal(rng: random.Random) -> list[dict]:
    rows = []
    for n, t in enumerate(TOPICS):
        project, sector, activity, output, unit, (lo, hi), benef, effect, expense = t
        fam = f"t{n:02d}"
        year = rng.choice([2021, 2022, 2023, 2024])
        context = f"{project}；指标：{output}≥{rng.randint(lo, hi)}{unit}；{benef}满意度≥90%"
        money = rng.randint(10, 900)
        base = dict(project=project, context=context)
        for s in rng.sample(SLOGANS, 2):
            rows.append(dict(base, template="go-slogan", family=f"go-slogan/{fam}", goal=s.format(sector=sector), label="mismatch"))
        for s in rng.sample(DUTIES, 2):
            rows.append(dict(base, template="go-duty", family=f"go-duty/{fam}", goal=s.format(sector=sector), label="mismatch"))
        for s in rng.sample(FUND_NOTES, 2):
            rows.append(dict(base, template="go-fund-note", family=f"go-fund-note/{fam}",
                             goal=s.format(money=money, expense=expense, sector=sector, part=money // 2), label="mismatch"))
        rows.append(dict(base, template="go-name-only", family=f"go-name-only/{fam}",
                         goal=rng.choice([f"完成{project}。", f"实施{project}", project]), label="mismatch"))
        other = TOPICS[(n + 5) % len(TOPICS)]
        rows.append(dict(base, template="go-other-project", family=f"go-other-project/{fam}", goal=_ok_goal(rng, other, year), label="mismatch"))
        for _ in range(3):
            rows.append(dict(base, template="go-specific", family=f"go-specific/{fam}", goal=_ok_goal(rng, t, year), label="ok"))
        rows.append(dict(base, template="go-relevant-no-number", family=f"go-relevant-no-number/{fam}",
                         goal=rng.choice([f"通过{activity}，改善{benef}{effect}。", f"{activity}，保障{benef}{effect}，按期完成年度任务。"]), label="ok"))
    return rows


def _rows_completion(rng: random.Random) -> list[dict]:
    rows = []
    for n, t in enumerate(TOPICS):
        project, sector, activity, output, unit, (lo, hi), benef, effect, _exp = t
        fam = f"t{n:02d}"
        year = rng.choice([2021, 2022, 2023, 2024])
        goal = _ok_goal(rng, t, year)
        money = rng.randint(10, 900)
        base = dict(project=project)
        for s in rng.sample(DONE, 3):
            rows.append(dict(base, template="cp-done", family=f"cp-done/{fam}", goal=rng.choice([goal, None]), completion=s, label="perfunctory"))
        for s in rng.sample(BUDGET_ONLY, 2):
            rows.append(dict(base, template="cp-budget-only", family=f"cp-budget-only/{fam}", goal=goal, completion=s.format(money=money),
                             label="perfunctory"))
        rows.append(dict(base, template="cp-repeat-goal", family=f"cp-repeat-goal/{fam}", goal=goal,
                         completion=rng.choice([f"已{goal}", f"{goal.rstrip('。')}，已完成。", goal]), label="perfunctory"))
        rows.append(dict(base, template="cp-vague-effect", family=f"cp-vague-effect/{fam}", goal=goal,
                         completion=f"通过项目实施，{benef}{effect}{rng.choice(VAGUE_TARGETS)}，取得了较好的社会效益。", label="perfunctory"))
        q, m = rng.randint(lo, hi), rng.randint(300, 20000)
        oks = [
            f"全年{activity}{q}{unit}，完成年度目标的{rng.randint(95, 120)}%，惠及{benef}{m}人。",
            f"截至{year}年12月，累计完成{output}{q}{unit}，验收合格率100%，支出资金{money}万元，{benef}满意度调查为{rng.randint(90, 99)}%。",
            f"{year}年共{activity}{q}{unit}，较上年增加{rng.randint(2, 40)}{unit}；项目于{rng.randint(6, 12)}月完工并通过验收。",
        ]
        for s in oks:
            rows.append(dict(base, template="cp-quantified", family=f"cp-quantified/{fam}", goal=rng.choice([goal, None]), completion=s, label="ok"))
    return rows


def generate() -> dict[str, list[dict]]:
    """All extra rows by kind, each with source/family/template and the kind's text fields."""
    out = {}
    for kind, fn in (("indicator", _rows_indicator), ("goal", _rows_goal), ("completion", _rows_completion)):
        rng = random.Random(f"{SEED}:{kind}")
        rows = fn(rng)
        for r in rows:
            r["source"] = "generated:" + r.pop("template")
        out[kind] = sorted(rows, key=lambda r: (r["family"], json.dumps(r, ensure_ascii=False, sort_keys=True)))
    return out


def write(data_dir: Path) -> dict[str, int]:
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    counts = {}
    for kind, rows in generate().items():
        text = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)
        (data_dir / f"{kind}_extra.jsonl").write_text(text, encoding="utf-8")
        counts[kind] = len(rows)
    return counts
