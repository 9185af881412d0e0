"""Value parsing: sign, number, unit and kind of 指标值 as written, plus amounts and rates."""

from __future__ import annotations

import random

import pytest

from checker.reading.values import cn_to_int, parse_money, parse_number, parse_rate, parse_value

# text, kind, sign, number, unit
VALUES = [
    ("≥50个", "quantitative", "≥", 50, "个"),
    ("＞＝95%", "quantitative", "≥", 95, "%"),
    (">=95%", "quantitative", "≥", 95, "%"),
    ("<=3天", "quantitative", "≤", 3, "天"),
    ("≧90分", "quantitative", "≥", 90, "分"),
    ("＝100%", "quantitative", "=", 100, "%"),
    ("=100%", "quantitative", "=", 100, "%"),
    ("＞80%", "quantitative", ">", 80, "%"),
    ("＜5%", "quantitative", "<", 5, "%"),
    ("不低于90%", "quantitative", "≥", 90, "%"),
    ("不少于200天", "quantitative", "≥", 200, "天"),
    ("至少3次", "quantitative", "≥", 3, "次"),
    ("95%以上", "quantitative", "≥", 95, "%"),
    ("95%及以上", "quantitative", "≥", 95, "%"),
    ("不高于5元", "quantitative", "≤", 5, "元"),
    ("不超过100万元", "quantitative", "≤", 100, "万元"),
    ("3天以内", "quantitative", "≤", 3, "天"),
    ("5%以下", "quantitative", "≤", 5, "%"),
    ("大于等于98%", "quantitative", "≥", 98, "%"),
    ("高于85%", "quantitative", ">", 85, "%"),
    ("低于3%", "quantitative", "<", 3, "%"),
    ("等于100%", "quantitative", "=", 100, "%"),
    ("达到100%", "quantitative", "≥", 100, "%"),  # 达到 is a floor in practice
    ("100%", "quantitative", None, 100, "%"),
    ("98.5 %", "quantitative", None, 98.5, "%"),
    ("1,234.56万元", "quantitative", None, 1234.56, "万元"),
    ("5元", "quantitative", None, 5, "元"),
    ("3.5万人次", "quantitative", None, 35000, "人次"),
    ("10.5万吨", "quantitative", None, 105000, "吨"),
    ("5千人", "quantitative", None, 5000, "人"),
    ("2.4万株", "quantitative", None, 24000, "株"),
    ("三十五个", "quantitative", None, 35, "个"),
    ("一百二十人次", "quantitative", None, 120, "人次"),
    ("两次", "quantitative", None, 2, "次"),
    ("不少于两次", "quantitative", "≥", 2, "次"),
    ("五万元", "quantitative", None, 5, "万元"),
    ("12个月", "quantitative", None, 12, "个月"),
    ("30日", "quantitative", None, 30, "天"),
    ("≤30日", "quantitative", "≤", 30, "天"),
    ("1200平方米", "quantitative", None, 1200, "平方米"),
    ("500㎡", "quantitative", None, 500, "平方米"),
    ("46公里", "quantitative", None, 46, "公里"),
    ("300亩", "quantitative", None, 300, "亩"),
    ("5‰", "quantitative", None, 5, "‰"),
    ("90百分比", "quantitative", None, 90, "%"),
    ("≥ 98 %", "quantitative", "≥", 98, "%"),
    ("６８００人", "quantitative", None, 6800, "人"),  # full-width digits
    ("≤10月", "quantitative", "≤", 10, "月"),
    ("30万元/公里", "quantitative", None, 30, "万元/公里"),
    ("≤5300元/户", "quantitative", "≤", 5300, "元/户"),
    ("═100%", "quantitative", "=", 100, "%"),  # box-drawing ═ used for = in some exports
    ("≥6架", "quantitative", "≥", 6, "架"),
    ("1-12月", "date", None, None, None),
    ("2023年12月31日前", "date", "≤", None, None),
    ("2023年底前", "date", "≤", None, None),
    ("6月底前完成", "date", "≤", None, None),
    ("2024-03-15", "date", None, None, None),
    ("好", "qualitative", None, None, None),
    ("明显提升", "qualitative", None, None, None),
    ("有效改善", "qualitative", None, None, None),
    ("统一标准", "qualitative", None, None, None),
    ("一次性完成", "qualitative", None, None, None),
    ("", "missing", None, None, None),
    ("—", "missing", None, None, None),
    ("——", "missing", None, None, None),
    ("/", "missing", None, None, None),
    ("无", "missing", None, None, None),
    ("*", "missing", None, None, None),
    ("  ", "missing", None, None, None),
]


@pytest.mark.parametrize("text,kind,sign,number,unit", VALUES)
def test_parse_value_table(text, kind, sign, number, unit):
    v = parse_value(text)
    assert v.raw == text
    assert v.kind == kind
    assert v.sign == sign
    assert v.number == number
    assert v.unit == unit


def test_parse_value_none_is_missing():
    assert parse_value(None).kind == "missing"


@pytest.mark.parametrize(
    "text,expected",
    [
        ("1,234.56万元", 1234.56),
        ("98.5%", 98.5),
        ("三十五", 35),
        ("100", 100),
        ("-12.5", -12.5),
        ("￥1,000", 1000),
        ("—", None),
        ("/", None),
        ("无", None),
        ("", None),
        (None, None),
        ("约 12.5 万元", 12.5),
        ("详见附表说明的各项指标", None),
        (12, 12.0),
    ],
)
def test_parse_number(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [("12,345元", 1.2345), ("1.5亿元", 15000), ("860.00", 860), ("860万元", 860), ("5000千元", 500), ("—", None)],
)
def test_parse_money_in_wanyuan(text, expected):
    got = parse_money(text)
    assert got == pytest.approx(expected) if expected is not None else got is None


def test_parse_money_table_in_yuan():
    assert parse_money("1,500,000", "元") == 150
    assert parse_money("1,500,000.00", "元") == 150
    assert parse_money("150万元", "元") == 150  # the cell's own unit wins
    assert parse_money("—", "元") is None


@pytest.mark.parametrize(
    "text,expected",
    [("98.5%", 98.5), ("0.985", 98.5), ("98.5", 98.5), ("1", 100), ("120%", 120), ("120", 120), ("5‰", 0.5), (0.985, 98.5),
     ("/", None), ("", None)],
)
def test_parse_rate(text, expected):
    got = parse_rate(text)
    assert (got is None) if expected is None else got == pytest.approx(expected)


@pytest.mark.parametrize(
    "text,expected",
    [("一", 1), ("十", 10), ("十五", 15), ("三十五", 35), ("一百二十", 120), ("一百零五", 105), ("两千", 2000),
     ("一万二千", 12000), ("三万", 30000), ("二〇二三", 2023), ("abc", None)],
)
def test_chinese_numerals(text, expected):
    assert cn_to_int(text) == expected


def test_property_round_trip_sign_number_unit():
    """Any sign/number/unit written the usual ways parses back to the same triple."""
    rnd = random.Random(20231231)
    signs = {"≥": ["≥", ">=", "＞＝", "不低于", "不少于"], "≤": ["≤", "<=", "不高于", "不超过"], "=": ["=", "＝", "等于"]}
    units = ["%", "个", "人次", "户", "公里", "亩", "天", "次", "项", "人", "所", "家", "台", "套", "件", "场", "期", "篇", "吨", "万元", "元", "米"]
    for _ in range(400):
        sign = rnd.choice(list(signs))
        written = rnd.choice(signs[sign])
        number = rnd.choice([rnd.randint(0, 99999), round(rnd.uniform(0, 1000), rnd.randint(1, 2))])
        unit = rnd.choice(units)
        text = f"{written}{number}{unit}"
        v = parse_value(text)
        assert (v.kind, v.sign, v.number, v.unit) == ("quantitative", sign, float(number), unit), text


def test_parse_value_is_deterministic():
    texts = [t for t, *_ in VALUES]
    assert [parse_value(t) for t in texts] == [parse_value(t) for t in texts]
