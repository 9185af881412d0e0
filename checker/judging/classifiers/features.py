"""Feature extraction for the three classifiers.

Every function here is module-level so the scikit-learn pipelines that use them pickle.
Inputs are lists of plain dicts (one record per unit), with the snippet-request fields:
  indicator: level1, level2, name, target, actual, project
  goal:      goal, project, context
  completion: completion, goal, project

The small word lists below are frozen into the models on purpose: the bureau-editable
word lists in rules/wordlists change what the *rules* flag; a trained model must see the
same features it was trained on.
"""

from __future__ import annotations

import re

import numpy as np

from checker.core.textutil import content_words, normalize

# ---- frozen lexicons (general words, none copied from a single corpus row) -----------------

VAGUE_WORDS = (
    "明显", "显著", "有效", "逐步", "进一步", "不断", "大幅", "较大", "较好", "良好", "提升", "提高", "改善",
    "加强", "增强", "持续", "稳步", "积极", "充分", "切实", "得到", "基本", "尽量", "力争", "努力", "大力",
    "推动", "促进", "保障", "优化", "完善", "健全", "规范", "有所", "一定", "较高", "高效", "满足", "及时",
    "按时", "按期", "正常", "逐年", "全面", "稳定", "增加", "减少", "降低", "好转", "改观", "长期",
)
GENERIC_NAMES = (
    "社会效益", "经济效益", "生态效益", "可持续影响", "满意度", "服务对象满意度", "群众满意度", "工作效率",
    "工作质量", "完成质量", "完成及时性", "完成时效", "资金使用", "资金效益", "项目效益", "管理水平",
    "服务水平", "工作完成率", "任务完成率", "项目完成率", "影响力", "知晓率", "规范性", "合规性",
)
STANDARD_WORDS = ("验收", "合格", "达标", "符合", "《", "标准", "规范要求", "规定", "优良", "通过")
SLOGAN_WORDS = (
    "贯彻", "落实", "习近平", "新时代", "党中央", "决策部署", "高质量发展", "以人民为中心", "稳中求进",
    "全面", "深入", "推动", "促进", "助力", "服务大局", "和谐", "繁荣", "发展", "建设", "构建", "打造",
    "提升", "提高", "加强", "保障", "确保", "充分发挥", "作用", "水平", "能力", "意识", "氛围", "有力",
    "有效", "进一步", "不断", "持续", "切实", "为", "奠定", "基础", "营造",
)
DUTY_WORDS = (
    "正常运转", "日常运转", "职能", "职责", "日常工作", "日常办公", "办公经费", "公用经费", "人员经费",
    "工资", "运行经费", "工作经费", "履职", "承担", "负责", "主要任务",
)
FUND_WORDS = ("万元", "资金", "预算", "经费", "拨付", "支付", "用于", "下达", "安排", "支出", "执行率", "执行数")
BENEFICIARY_WORDS = (
    "群众", "居民", "学生", "农户", "农民", "儿童", "老人", "老年人", "患者", "村民", "家庭", "户", "人次",
    "企业", "职工", "残疾人", "困难", "受益", "覆盖", "贫困", "对象",
)
TEMPLATE_PHRASES = (
    "已完成", "已全部完成", "全部完成", "按计划完成", "按期完成", "顺利完成", "圆满完成", "基本完成", "完成",
    "达到预期", "预期目标", "预期效果", "年度目标", "绩效目标", "较好", "良好", "有序推进", "稳步推进",
    "取得", "成效", "明显", "显著", "有效", "效果", "实现", "已实现", "达到", "正常",
)
BUDGET_WORDS = ("执行率", "执行数", "预算数", "预算资金", "资金支付", "支付", "拨付", "资金到位", "万元", "支出")
PLACEHOLDER_RE = re.compile(r"(X{2,}|×{2,}|\*{2,}|…{1,}|＿{2,}|_{2,}|某某|此处|请填写|填写说明|示例)")
UNITS = (
    "%", "个", "项", "人", "次", "户", "所", "家", "场", "期", "条", "公里", "千米", "米", "亩", "万元", "元", "台", "套",
    "件", "名", "批", "篇", "天", "日", "月", "年", "吨", "平方米", "立方米", "处", "座", "辆", "册", "份", "间", "张",
    "小时", "课时", "学时", "床", "株", "头", "只", "km", "m", "t",
)

_NUM = re.compile(r"\d+(?:\.\d+)?")
_SIGN = re.compile(r"[≥≤<>=＝═]|大于|小于|不低于|不少于|不高于|不超过|不多于|以上|以下|以内|达到")
_DATE = re.compile(r"(20\d{2}|19\d{2})\s*年|\d{1,2}\s*月|\d{4}[.\-/]\d{1,2}|年底|年末|月底|季度|上半年|下半年")
_UNIT_AFTER_NUM = re.compile(r"\d(?:\.\d+)?\s*(" + "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True)) + ")")
_CN_NUM = re.compile(r"[一二两三四五六七八九十百千万]+(?:个|项|人|次|户|所|家|场|期|条|公里|亩|万元|元|台|套|件|名|批|篇|天|处|座|辆)")


def _s(rec: dict, key: str) -> str:
    return normalize(rec.get(key) or "")


def _count(text: str, words) -> int:
    return sum(text.count(w) for w in words)


def _jaccard(a: set, b: set) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _bigrams(text: str) -> set[str]:
    t = re.sub(r"[\d\W_]+", "", text)
    return {t[i : i + 2] for i in range(len(t) - 1)}


def _contain(a: set, b: set) -> float:
    """Share of a's items that are also in b."""
    if not a:
        return 0.0
    return len(a & b) / len(a)


def _quant(text: str) -> float:
    return float(len(_UNIT_AFTER_NUM.findall(text)) + len(_CN_NUM.findall(text)))


# ---- text selectors (FunctionTransformer callables) ---------------------------------------


def indicator_words(records) -> list[str]:
    return [f"{_s(r, 'level1')} {_s(r, 'level2')} {_s(r, 'name')} {_s(r, 'target')}" for r in records]


def indicator_chars(records) -> list[str]:
    # name and target joined by a separator char so n-grams rarely straddle them
    return [f"{_s(r, 'name')}|{_s(r, 'target')}" for r in records]


def goal_words(records) -> list[str]:
    return [_s(r, "goal") for r in records]


def completion_words(records) -> list[str]:
    return [_s(r, "completion") for r in records]


# ---- hand-made features -------------------------------------------------------------------

INDICATOR_FEATURES = (
    "target_empty", "target_has_digit", "target_has_sign", "target_has_unit", "target_has_percent", "target_len",
    "target_vague", "target_standard", "target_date", "name_vague", "name_generic", "name_has_digit",
    "satisfaction_low", "quantity_level_no_number", "target_only_100pct", "actual_has_digit", "name_len",
)


def indicator_features(records) -> np.ndarray:
    rows = []
    for r in records:
        name, target, level2 = _s(r, "name"), _s(r, "target"), _s(r, "level2")
        actual = _s(r, "actual")
        nums = [float(n) for n in _NUM.findall(target)]
        has_digit = bool(nums)
        sat_low = 0.0
        if "满意" in name and nums and "%" in target and max(nums) < 80:
            sat_low = 1.0
        rows.append(
            [
                float(not target or target in {"—", "-", "/", "无", "*"}),
                float(has_digit),
                float(bool(_SIGN.search(target))),
                float(bool(_UNIT_AFTER_NUM.search(target)) or bool(_CN_NUM.search(target))),
                float("%" in target or "百分" in target),
                min(len(target), 60) / 60.0,
                float(_count(target, VAGUE_WORDS)),
                float(_count(target, STANDARD_WORDS) > 0),
                float(bool(_DATE.search(target))),
                float(_count(name, VAGUE_WORDS)),
                float(any(g in name for g in GENERIC_NAMES)),
                float(bool(_NUM.search(name))),
                sat_low,
                float(("数量" in level2) and not has_digit),
                float(bool(re.fullmatch(r"[≥=＝═]?100(\.0+)?%", target))),
                float(bool(_NUM.search(actual))),
                min(len(name), 40) / 40.0,
            ]
        )
    return np.asarray(rows, dtype=float)


GOAL_FEATURES = (
    "len", "numbers", "quantities", "slogan_density", "duty_words", "fund_words", "fund_only", "beneficiaries",
    "dates", "project_overlap", "context_overlap", "context_bigram", "project_bigram", "goal_is_project",
    "placeholder", "context_empty", "citations", "starts_with_basis", "restates_duties",
)


def goal_features(records) -> np.ndarray:
    rows = []
    for r in records:
        goal, project, context = _s(r, "goal"), _s(r, "project"), _s(r, "context")
        n = max(len(goal), 1)
        gw = content_words(goal)
        pw = content_words(project)
        cw = content_words(context) | pw
        gb = _bigrams(goal)
        quants = _quant(goal)
        funds = _count(goal, FUND_WORDS)
        # a funding note: money words but no non-money quantity
        non_money_q = quants - len(re.findall(r"\d(?:\.\d+)?\s*万?元", goal))
        rows.append(
            [
                min(n, 300) / 300.0,
                min(len(_NUM.findall(goal)), 10) / 10.0,
                min(quants, 8) / 8.0,
                _count(goal, SLOGAN_WORDS) * 10.0 / n,
                float(_count(goal, DUTY_WORDS)),
                min(funds, 6) / 6.0,
                float(funds > 0 and non_money_q <= 0),
                float(_count(goal, BENEFICIARY_WORDS) > 0),
                float(bool(_DATE.search(goal))),
                _contain(pw, gw),
                _contain(gw, cw),
                _contain(gb, _bigrams(context + project)),
                _contain(_bigrams(project), gb),
                float(bool(project) and (goal in project or _jaccard(gb, _bigrams(project)) > 0.8)),
                float(bool(PLACEHOLDER_RE.search(goal))),
                float(not context),
                # the policy basis quoted in place of a goal: 根据《…通知》（…〔2022〕12号）
                min(goal.count("《") + len(re.findall(r"〔\d{4}〕|\[\d{4}\]|\d+号", goal)), 6) / 6.0,
                float(bool(re.match(r"(绩效目标[是为:：]?)?(根据|按照|依据|依照)", goal))),
                float(any(w in context for w in ("职能", "职责")) and _contain(gb, _bigrams(context)) > 0.5),
            ]
        )
    return np.asarray(rows, dtype=float)


COMPLETION_FEATURES = (
    "len", "numbers", "quantities", "template", "budget_words", "budget_only", "goal_overlap", "goal_bigram",
    "repeats_goal", "placeholder", "has_goal", "beneficiaries", "dates", "short",
)


def completion_features(records) -> np.ndarray:
    rows = []
    for r in records:
        comp, goal = _s(r, "completion"), _s(r, "goal")
        n = max(len(comp), 1)
        quants = _quant(comp)
        money = len(re.findall(r"\d(?:\.\d+)?\s*(?:万?元|%)", comp))
        cb, gb = _bigrams(comp), _bigrams(goal)
        rows.append(
            [
                min(n, 300) / 300.0,
                min(len(_NUM.findall(comp)), 10) / 10.0,
                min(quants, 8) / 8.0,
                _count(comp, TEMPLATE_PHRASES) * 10.0 / n,
                min(_count(comp, BUDGET_WORDS), 6) / 6.0,
                float(money > 0 and quants - money <= 0),
                _contain(content_words(comp), content_words(goal)) if goal else 0.0,
                _contain(cb, gb) if goal else 0.0,
                float(bool(goal) and _jaccard(cb, gb) > 0.7),
                float(bool(PLACEHOLDER_RE.search(comp))),
                float(bool(goal)),
                float(_count(comp, BENEFICIARY_WORDS) > 0),
                float(bool(_DATE.search(comp))),
                float(n < 15),
            ]
        )
    return np.asarray(rows, dtype=float)


# ---- TF-IDF similarity between a text and its context ------------------------------------------

PAIRS = {
    "goal": (("goal", "context"), ("goal", "project")),
    "completion": (("completion", "goal"), ("completion", "project")),
    "indicator": (("name", "project"),),
}


class PairSimilarity:
    """Cosine similarity of TF-IDF vectors (character 1–2-grams) between field pairs of a record,
    e.g. goal vs. project context; the IDF is learnt on every field text seen in training.
    A plain class with fit/transform so it pickles and sits in a FeatureUnion."""

    def __init__(self, kind: str = "goal"):
        self.kind = kind

    def get_params(self, deep: bool = True) -> dict:
        return {"kind": self.kind}

    def set_params(self, **params):
        for k, v in params.items():
            setattr(self, k, v)
        return self

    def fit(self, records, y=None):
        from sklearn.feature_extraction.text import TfidfVectorizer

        texts = sorted({_s(r, f) for r in records for pair in PAIRS[self.kind] for f in pair} - {""})
        self.vectorizer_ = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True, min_df=1)
        self.vectorizer_.fit(texts or ["空"])
        return self

    def transform(self, records) -> np.ndarray:
        cols = []
        for a, b in PAIRS[self.kind]:
            va = self.vectorizer_.transform([_s(r, a) for r in records])
            vb = self.vectorizer_.transform([_s(r, b) for r in records])
            cols.append(np.asarray(va.multiply(vb).sum(axis=1)).ravel())  # rows are l2-normalised
        return np.column_stack(cols)

    def fit_transform(self, records, y=None):
        return self.fit(records, y).transform(records)
