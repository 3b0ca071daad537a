"""The roster's controlled vocabularies, as national-system exports spell them."""

from __future__ import annotations

# The national system keeps 户类型 and 是否监测对象 + 监测对象类别 as separate fields: a 脱贫户
# can at the same time be a 突发严重困难户. County exports spell them many ways; the words
# they use live in resources/vocabulary.yaml (``fieldvisit.roster.aliases``).
TUOPIN = "脱贫户"
ORDINARY = "一般农户"
HOUSEHOLD_TYPES = (TUOPIN, ORDINARY)
MONITORED = "监测对象"
MONITOR_CATEGORIES = ("脱贫不稳定户", "边缘易致贫户", "突发严重困难户")
# The 户类型 a category implies (突发严重困难户 can be either).
CATEGORY_TYPE = {"脱贫不稳定户": TUOPIN, "边缘易致贫户": ORDINARY}

RISK_TYPES = (
    "因病", "因学", "因残", "因自然灾害", "因意外事故", "因产业项目失败",
    "因务工就业不稳", "缺劳动力", "因安全住房", "因安全饮水", "其他",
)
MAX_RISK_TYPES = 4
RISK_SEPARATOR = "、"

HEALTH = ("健康", "长期慢性病", "患有大病", "残疾")
SEXES = ("男", "女")

HEAD = "户主"
RELATIONS = (
    "户主", "配偶", "之子", "之女", "之儿媳", "之女婿", "之孙子", "之孙女", "之外孙子",
    "之外孙女", "之父", "之母", "之祖父", "之祖母", "之兄弟姐妹", "之曾孙子", "之曾孙女",
    "其他",
)
MALE_RELATIONS = frozenset({"之子", "之女婿", "之孙子", "之外孙子", "之父", "之祖父", "之曾孙子",
                            "之兄", "之弟", "之岳父", "之公公"})
FEMALE_RELATIONS = frozenset({"之女", "之儿媳", "之孙女", "之外孙女", "之母", "之祖母",
                              "之曾孙女", "之姐", "之妹", "之岳母", "之婆婆"})

SCHOOLING = (
    "学龄前儿童", "学前教育", "小学", "七年级", "八年级", "九年级", "初中", "高中", "中职",
    "高职", "大专", "本科及以上", "非在校生", "辍学", "送教上门", "因身体原因不能上学",
)
EDUCATION = ("文盲或半文盲", "小学", "初中", "高中", "中专", "大专", "本科及以上")
LABOUR_SKILLS = ("普通劳动力", "技能劳动力", "弱劳动力或半劳动力", "丧失劳动力", "无劳动力")
NO_LABOUR = frozenset({"丧失劳动力", "无劳动力"})

# 帮扶措施 / 享受政策, in the order a 明白卡 lists them. 其他 needs a description.
MEASURE_KINDS = (
    "产业帮扶", "就业帮扶", "公益岗位", "教育/雨露计划", "健康/医保", "危房改造",
    "易地扶贫搬迁", "金融/小额信贷", "低保/特困", "残疾人补贴", "养老保险", "生态补偿",
    "临时救助", "其他",
)
OTHER_MEASURE = "其他"


def status_label(hh_type: str | None, monitored: bool | None, category: str | None,
                 *, short: bool = False) -> str:
    """The household's status in words: "脱贫户", "脱贫户 · 监测对象（突发严重困难户）".

    ``short`` (a table cell, a card field) names only what matters most: the category of
    a monitored household, else its 户类型."""
    kind = hh_type or ""
    if not monitored:
        return kind
    watched = f"{MONITORED}（{category or '类别未定'}）"
    if short:
        return category or MONITORED
    return f"{kind} · {watched}" if kind else watched


def risks_label(risk_types: str | None, risk_other: str | None) -> str:
    """风险类型 as a card prints it: 其他 with what it means, "因病、其他（房屋漏雨）"."""
    risks = split_risks(risk_types)
    other = (risk_other or "").strip()
    return RISK_SEPARATOR.join(f"其他（{other}）" if r == OTHER_MEASURE and other else r
                               for r in risks)


def split_risks(text: str | None) -> list[str]:
    if not text:
        return []
    for separator in ",，;；/ 、":
        text = text.replace(separator, RISK_SEPARATOR)
    return [part for part in text.split(RISK_SEPARATOR) if part]
