"""What kind of visit it was and in which role the visitor came, and what each counts for.

The field counts visits differently: every 日常走访, 遍访, 监测核实 and 回访 is a contact
with the household (the schedule and the coverage figures count them all), while 遍访率
counts only the 遍访 that the village's secretary or 第一书记 made in person, because
"遍访" is their duty to have been in every home. A visit is face to face when the head
signed it (户主签字); an absent household confirmed by phone (电话确认) was contacted,
not met, which is what the quarterly in-person rule looks at.
"""

from __future__ import annotations

from fieldvisit.errors import FieldVisitError
from fieldvisit.store.fields import VISIT_KINDS

DAILY, SURVEY, CHECK, FOLLOW_UP = VISIT_KINDS  # 日常走访, 遍访, 监测核实, 回访
DEFAULT_KIND = DAILY
# who visits: the roles a cadre picks from (the store keeps any text a bundle brings)
ROLES = ("第一书记", "村支书", "驻村工作队员", "帮扶责任人", "村干部", "乡镇干部")
SECRETARY_ROLES = ("第一书记", "村支书")  # whose 遍访 counts for 遍访率
CONTACT_KINDS = VISIT_KINDS  # every kind is a contact with the household
FACE_TO_FACE = "户主签字"  # the confirmation of a visit that met the household


class VisitKindError(FieldVisitError):
    reason = "visit-kind"


def checked(kind: str, role: str | None) -> tuple[str, str | None]:
    """``kind`` and ``role`` as stored (role stripped, blank as None), or refused."""
    if kind not in VISIT_KINDS:
        raise VisitKindError(f"走访类型应为{'、'.join(VISIT_KINDS)}之一，不是“{kind}”",
                             f"the kind of visit must be one of {', '.join(VISIT_KINDS)}, "
                             f"not {kind!r}")
    role = (role or "").strip() or None
    if role is not None and role not in ROLES:
        raise VisitKindError(f"走访人身份应为{'、'.join(ROLES)}之一，不是“{role}”",
                             f"the visitor's role must be one of {', '.join(ROLES)}, "
                             f"not {role!r}")
    if kind == SURVEY and role is not None and role not in SECRETARY_ROLES:
        raise VisitKindError("遍访由村支书或第一书记进行；其他人员请选择日常走访",
                             "a 遍访 is made by the village secretary or 第一书记; "
                             "others record a 日常走访")
    return kind, role
