"""What a paper posted or handed out must not say about a person's health.

明白卡 hang in the household's home and 公示 lists on the village notice board: anyone
passing reads them. A member's illness or disability is theirs to tell, so unless a
county turns ``print_health`` on, no paper names it. A checklist's finding text is
written for the cadre ("张三 患慢性病，尚未办理慢性病卡") and would name it; such a text
prints as its area and what remains to be done ("[基本医疗] 待落实"), and the full text
stays in the 走访记录 and the ledger, which are not posted.
"""

from __future__ import annotations

from fieldvisit.roster.vocab import HEALTH

# The 健康状况 words other than 健康, and the words finding texts and notes use for an
# illness, a disability or its treatment. "病" alone catches 慢性病, 大病, 重病, 精神病;
# a text about 大病保险 is caught too, which costs a neutral line, never a leak.
HEALTH_WORDS: tuple[str, ...] = (
    *(word for word in HEALTH if word != "健康"),
    "病", "残疾", "伤残", "患有", "住院", "医疗费", "医疗救助", "透析", "化疗", "手术", "癌",
    "肿瘤", "瘫", "失明", "失聪", "聋", "哑", "智力", "精神", "残疾证",
)
PENDING = "待落实"


def names_health(text: str | None) -> bool:
    """Whether ``text`` names an illness, a disability or its treatment."""
    return bool(text) and any(word in (text or "") for word in HEALTH_WORDS)


def problem_line(category: str, text: str, *, print_health: bool) -> str:
    """A ledger problem as a card prints it: "[基本医疗] …", or "[基本医疗] 待落实" when
    the text names someone's health and health is not printed."""
    if not print_health and names_health(text):
        return f"[{category}] {PENDING}"
    return f"[{category}] {text}"
