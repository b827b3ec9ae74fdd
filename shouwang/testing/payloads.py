"""Valid inputs for registering a child, as a form POST and as a ``Registration``.

Tests change one field at a time from these, so each test shows exactly which input it
is about.
"""

import datetime as dt
from typing import Any

from shouwang.geo.models import Area
from shouwang.lib.idcard import make_id_number
from shouwang.registry.domain import (
    CaregiverInput,
    ChildInput,
    HouseholdInput,
    ParentInput,
    Registration,
)

BIRTH = dt.date(2015, 3, 8)
CHILD_ID = make_id_number("410322", BIRTH, 122)  # even sequence: a girl


def registration_post(village: Area, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "child-village": str(village.pk),
        "child-name": "刘小雨",
        "child-sex": "female",
        "child-birth_date": BIRTH.isoformat(),
        "child-id_number": CHILD_ID,
        "child-ethnicity": "汉族",
        "child-hukou_type": "rural",
        "child-residence_address": "东王村3组",
        "child-school_stage": "primary",
        "child-grade": "五年级",
        "child-health_status": "healthy",
        "household-address": "东王村3组12号",
        "household-main_income_source": "migrant_work",
        "father-name": "刘建军",
        "father-situation": "working_away",
        "father-phone": "13800000001",
        "father-work_place": "广东省东莞市",
        "father-away_since": "2019-02-15",
        "father-return_pattern": "spring_festival",
        "father-contact_channel": "微信视频",
        "mother-name": "陈丽",
        "mother-situation": "working_away",
        "mother-work_place": "浙江省宁波市",
        "mother-away_since": "2020-03-01",
        "caregiver-relation": "paternal_grandmother",
        "caregiver-name": "刘奶奶",
        "caregiver-sex": "female",
        "caregiver-birth_year": "1956",
        "caregiver-health": "chronic_illness",
        "caregiver-literacy": "illiterate",
        "caregiver-since": "2019-02-15",
        "caregiver-has_care_capacity": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def registration(**child_overrides: Any) -> Registration:
    child = {
        "name": "刘小雨",
        "sex": "female",
        "birth_date": BIRTH,
        "hukou_type": "rural",
        "school_stage": "primary",
        "health_status": "healthy",
        "id_number": CHILD_ID,
    }
    child.update(child_overrides)
    return Registration(
        child=ChildInput(**child),
        household=HouseholdInput(address="东王村3组12号", main_income_source="migrant_work"),
        father=ParentInput(
            situation="working_away",
            name="刘建军",
            work_place="广东省东莞市",
            away_since=dt.date(2019, 2, 15),
        ),
        mother=ParentInput(
            situation="working_away",
            name="陈丽",
            work_place="浙江省宁波市",
            away_since=dt.date(2020, 3, 1),
        ),
        caregiver=CaregiverInput(
            relation="paternal_grandmother",
            name="刘奶奶",
            sex="female",
            birth_year=1956,
            health="chronic_illness",
            literacy="illiterate",
            since=dt.date(2019, 2, 15),
        ),
    )
