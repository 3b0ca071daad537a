"""A crafted household and its answers, shared by the checklist and visit tests: three
members (a chronic patient, a schoolboy) and a visit meeting every standard."""

from __future__ import annotations

from datetime import date

TODAY = date(2026, 11, 1)
MEMBERS = [
    {"id": "m1", "name": "王德明", "birth_date": date(1975, 3, 2), "relation": "户主",
     "sex": "男", "labour_skill": "普通劳动力", "health": "健康"},
    {"id": "m2", "name": "刘桂芬", "birth_date": date(1978, 8, 9), "relation": "配偶",
     "sex": "女", "labour_skill": "普通劳动力", "health": "长期慢性病"},
    {"id": "m3", "name": "王小军", "birth_date": date(2014, 6, 1), "relation": "之子",
     "sex": "男", "schooling": "小学"},
]
MEDICAL_OK = {"insurance": "resident", "serious_illness": True, "chronic": False,
              "family_doctor": True, "self_pay": 0}
GOOD = {  # a household that meets every standard
    "basic_needs": {"food_all_year": True, "meat_monthly": True, "clothes_four_seasons": True,
                    "bedding_winter": True},
    "housing": {"house_grade": "B", "safety_plate": True, "plate_matches": True},
    "water": {"area_type": "rich", "supply_type": "piped", "litres_household": 150,
              "water_quality": "ok", "tap_in_yard": True, "outage_days": 5},
    "education": {"m3": {"in_school": True, "stage": "小学"}},
    "medical": {m["id"]: dict(MEDICAL_OK) for m in MEMBERS},
    "income": {"wage": 30000, "business": 6000, "property": 0, "transfer": 1200,
               "business_cost": 2000},
    "monitoring": {"rigid_expense": 0, "income_drop": False, "risks": []},
}
