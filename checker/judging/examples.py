"""Suggestion examples from the same field (sector) and the same kind of indicator as the
item being checked, so a water project is not shown a school example.

A rule's suggestion asks for one with a placeholder: `{example}` (the kind follows the
indicator's 二级指标, or the goal/completion scope), or a fixed kind such as
`{example_cost}`, `{example_time}`, `{example_satisfaction}`, `{example_goal}`. The sector
comes from keywords in the project name, unit and item text; with no match the examples
are general ones. A small table on purpose: a full indicator library is separate work.
"""

from __future__ import annotations

import re
from typing import Any

KINDS = ("quantity", "quality", "time", "cost", "benefit", "satisfaction", "goal", "completion")

# sector: (keywords, {kind: example}); order breaks ties between equally matched sectors
SECTORS: dict[str, tuple[tuple[str, ...], dict[str, str]]] = {
    "残疾人": (("残疾", "残联", "康复", "助残", "盲人", "聋"), {
        "quantity": "残疾人康复服务≥320人次", "quality": "辅助器具适配合格率100%", "time": "补贴10月底前发放到位",
        "cost": "人均康复补助≤3000元/人", "benefit": "持证残疾人基本康复服务覆盖率≥85%", "satisfaction": "受助残疾人满意度≥90%",
        "goal": "为全县320名持证残疾人提供基本康复服务，适配辅助器具150件，10月底前完成",
        "completion": "完成残疾人康复服务336人次（目标320人次），适配辅助器具152件，验收合格率100%",
    }),
    "教育": (("教育", "学校", "学生", "校舍", "教师", "幼儿园", "中小学", "义务教育", "教学", "课桌"), {
        "quantity": "维修改造校舍≥3000平方米", "quality": "校舍维修工程验收合格率100%", "time": "8月底前完工，保障秋季开学",
        "cost": "校舍维修单价≤800元/平方米", "benefit": "受益学生人数≥1200人", "satisfaction": "学生家长满意度≥90%",
        "goal": "维修改造2所村小校舍3000平方米，购置课桌椅300套，8月底前完工，惠及学生1200人",
        "completion": "完成2所村小校舍维修3050平方米（目标3000平方米），购置课桌椅300套，验收合格率100%",
    }),
    "卫生健康": (("卫生", "健康", "医疗", "医院", "体检", "疾病", "疫苗", "接种", "计生", "妇幼", "医保"), {
        "quantity": "65岁以上老年人免费体检≥1.2万人", "quality": "体检报告规范填写率≥95%", "time": "11月底前完成全年体检",
        "cost": "人均体检费用≤120元/人", "benefit": "老年人健康管理率≥70%", "satisfaction": "体检老年人满意度≥90%",
        "goal": "为全县1.2万名65岁以上老年人免费体检，健康管理率达到70%，11月底前完成",
        "completion": "完成老年人免费体检1.25万人（目标1.2万人），健康管理率72%，体检报告规范填写率96%",
    }),
    "水利": (("水利", "水务", "供水", "饮水", "灌溉", "河道", "水库", "防汛", "排水", "水土", "渠"), {
        "quantity": "新建改造农村供水工程≥12处", "quality": "出厂水水质达标率≥95%", "time": "10月底前完工通水",
        "cost": "单处工程造价≤45万元", "benefit": "新增受益农村人口≥3500人", "satisfaction": "受益群众满意度≥90%",
        "goal": "新建改造农村集中供水工程12处，解决3500名农村人口饮水问题，水质达标率不低于95%",
        "completion": "建成农村供水工程12处，新增受益人口3620人（目标3500人），水质达标率97%",
    }),
    "交通": (("交通", "公路", "道路", "桥梁", "客运", "路面", "养护"), {
        "quantity": "县乡道日常养护≥420公里", "quality": "养护路段优良路率≥85%", "time": "11月底前完成路面修复",
        "cost": "日常养护成本≤0.8万元/公里", "benefit": "农村公路列养率100%", "satisfaction": "沿线群众满意度≥90%",
        "goal": "完成县乡道日常养护420公里，维修破损路面1.5万平方米，优良路率达到85%",
        "completion": "完成县乡道日常养护425公里（目标420公里），修复路面1.52万平方米，优良路率87%",
    }),
    "农业农村": (("农业", "农村", "农机", "耕地", "种植", "畜牧", "农田", "农技", "乡村", "粮食", "动物", "兽"), {
        "quantity": "建设高标准农田≥2万亩", "quality": "农田建设工程验收合格率100%", "time": "12月底前完成竣工验收",
        "cost": "亩均投资≤1500元/亩", "benefit": "项目区粮食亩产提高≥50公斤", "satisfaction": "项目区农户满意度≥90%",
        "goal": "建设高标准农田2万亩，配套灌溉渠道35公里，12月底前完成竣工验收",
        "completion": "建成高标准农田2.05万亩（目标2万亩），配套渠道36公里，验收合格率100%",
    }),
    "民政社保": (("民政", "救助", "低保", "养老", "特困", "孤儿", "社会保障", "社保", "就业", "人力资源", "退役", "优抚", "殡葬"), {
        "quantity": "临时救助困难群众≥850人次", "quality": "救助对象认定准确率100%", "time": "救助资金审批后10个工作日内发放",
        "cost": "人均救助标准≤2000元/人次", "benefit": "困难群众基本生活保障率100%", "satisfaction": "救助对象满意度≥90%",
        "goal": "全年临时救助困难群众850人次，救助资金审批后10个工作日内发放到位",
        "completion": "临时救助困难群众872人次（目标850人次），发放救助资金152万元，认定准确率100%",
    }),
    "文化旅游体育": (("文化", "旅游", "体育", "图书馆", "文物", "非遗", "博物馆", "广播", "电影", "健身"), {
        "quantity": "送戏下乡演出≥60场", "quality": "文物修缮工程验收合格率100%", "time": "9月底前完成年度演出任务",
        "cost": "每场演出补助≤0.5万元", "benefit": "观看群众≥3万人次", "satisfaction": "观众满意度≥90%",
        "goal": "全年送戏下乡60场，覆盖全县18个乡镇，观看群众3万人次以上",
        "completion": "完成送戏下乡62场（目标60场），覆盖18个乡镇，观看群众3.2万人次",
    }),
    "生态环境": (("生态", "环境", "林业", "造林", "森林", "污染", "环保", "自然资源", "国土", "绿化", "湿地", "大气"), {
        "quantity": "完成人工造林≥5000亩", "quality": "造林成活率≥85%", "time": "4月底前完成春季造林",
        "cost": "造林单价≤1200元/亩", "benefit": "森林覆盖率提高≥0.3个百分点", "satisfaction": "周边群众满意度≥90%",
        "goal": "完成人工造林5000亩，造林成活率不低于85%，4月底前完成春季造林任务",
        "completion": "完成人工造林5100亩（目标5000亩），经核查成活率88%",
    }),
    "住建城管": (("住房", "住建", "城乡建设", "危房", "城市管理", "市政", "环卫", "路灯", "物业", "棚户", "老旧小区"), {
        "quantity": "改造农村危房≥85户", "quality": "危房改造竣工验收合格率100%", "time": "10月底前完成改造并入住",
        "cost": "户均补助≤3.5万元/户", "benefit": "改造户住房安全保障率100%", "satisfaction": "改造户满意度≥90%",
        "goal": "完成农村危房改造85户，10月底前竣工验收并入住，户均补助不超过3.5万元",
        "completion": "完成农村危房改造87户（目标85户），竣工验收合格率100%，全部入住",
    }),
    "政法市场监管": (("公安", "司法", "法治", "普法", "法律", "市场监督", "食品安全", "药品", "应急", "消防", "安全生产"), {
        "quantity": "开展送法下乡活动≥24场", "quality": "食品抽检任务完成率100%", "time": "每季度末前完成抽检并公示",
        "cost": "每批次抽检费用≤1500元", "benefit": "群众法治知识知晓率≥85%", "satisfaction": "服务对象满意度≥90%",
        "goal": "全年开展送法下乡活动24场，印发普法资料2万份，覆盖全县18个乡镇",
        "completion": "开展送法下乡活动26场（目标24场），印发普法资料2.1万份，覆盖18个乡镇",
    }),
}
GENERAL = {
    "quantity": "完成培训≥200人次", "quality": "验收合格率100%", "time": "10月底前完成",
    "cost": "人均成本≤350元/人", "benefit": "受益群众≥2000人", "satisfaction": "服务对象满意度≥90%",
    "goal": "全年完成××任务××项（数量），惠及××人，10月底前完成",
    "completion": "实际完成××任务××项（目标××项），惠及××人，验收合格率100%",
}
_LEVEL2_KIND = (("满意", "satisfaction"), ("数量", "quantity"), ("质量", "quality"), ("时效", "time"), ("进度", "time"),
                ("成本", "cost"), ("效益", "benefit"), ("影响", "benefit"))


def sector_of(*texts: Any) -> str | None:
    """The best-matching sector name for the given texts (project, unit, item), or None."""
    text = " ".join(str(t) for t in texts if t)
    if not text:
        return None
    best, hits = None, 0
    for name, (words, _) in SECTORS.items():
        n = sum(text.count(w) for w in words)
        if n > hits:
            best, hits = name, n
    return best


def indicator_kind(level2: str | None = None, name: str | None = None, level1: str | None = None) -> str:
    for text in (level2, level1):
        for word, kind in _LEVEL2_KIND:
            if text and word in text:
                return kind
    if name and "满意" in name:
        return "satisfaction"
    if name and re.search(r"时间|时限|及时|按期|完成时", name):
        return "time"
    return "quantity"


def example(kind: str, sector: str | None) -> str:
    table = SECTORS[sector][1] if sector in SECTORS else GENERAL
    return table.get(kind) or GENERAL.get(kind, "")


def example_values(view: Any, scope: str, fields: list[str]) -> dict[str, str]:
    """Values for the `example*` placeholders a template uses, from the view being checked."""
    wanted = [f for f in fields if f == "example" or f.startswith("example_")]
    if not wanted:
        return {}
    doc = getattr(view, "document", None)
    texts = [getattr(view, "project", None), getattr(view, "unit", None), getattr(view, "name", None), getattr(view, "goal", None)]
    if doc is not None:
        texts += [getattr(doc, "project", None), getattr(doc, "unit", None)]
    sector = sector_of(*texts)
    out = {}
    for f in wanted:
        if f == "example":
            kind = scope if scope in ("goal", "completion") else indicator_kind(
                getattr(view, "level2", None), getattr(view, "name", None), getattr(view, "level1", None))
        else:
            kind = f.removeprefix("example_")
        out[f] = example(kind if kind in KINDS else "quantity", sector)
    return out
