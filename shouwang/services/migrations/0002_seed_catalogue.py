"""The starting service catalogue (administrators edit it afterwards).

Types drawn from the services named in the 2016 State Council opinion on left-behind
children (国发〔2016〕13号) and the 2019 opinion on the care service system (民发〔2019〕34号):
family contact, study support, psychological counselling, safety education, health checks,
activities at the children's home (儿童之家), material aid, and guidance for caregivers.
"""

from django.db import migrations

CATALOGUE = [
    # code, zh, en, domain, mode, one_to_one
    ("family_video_call", "亲情视频", "Family video call", "family_contact", "individual", False),
    ("study_support", "学业辅导", "Study support", "education", "individual", True),
    ("psych_counselling", "心理辅导", "Psychological counselling", "psychological", "individual", True),
    ("companionship", "陪伴关爱", "Companionship visits", "psychological", "individual", True),
    ("safety_education", "安全教育", "Safety education", "safety", "group", False),
    ("health_check", "健康检查", "Health check", "physical_health", "individual", False),
    ("childrens_home_activity", "儿童之家周末和假期活动", "Weekend and holiday activities at the children's home", "psychological", "group", False),
    ("material_aid", "物质帮扶", "Material aid", "material", "material", False),
    ("life_skills", "生活技能", "Life skills", "education", "group", False),
    ("caregiver_guidance", "监护指导", "Guardianship guidance for caregivers", "guardianship", "individual", False),
    ("home_visit", "入户探访", "Home visit", "guardianship", "contact", False),
    ("legal_aid", "法律援助", "Legal aid", "safety", "individual", False),
]


def seed(apps, schema_editor):
    ServiceType = apps.get_model("services", "ServiceType")
    for order, (code, zh, en, domain, mode, alone) in enumerate(CATALOGUE, start=1):
        ServiceType.objects.update_or_create(
            code=code,
            defaults={
                "name_zh": zh,
                "name_en": en,
                "domain": domain,
                "mode": mode,
                "one_to_one": alone,
                "sort_order": order * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("services", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
