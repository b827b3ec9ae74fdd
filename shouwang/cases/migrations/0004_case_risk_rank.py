"""Store the risk rank on the case (0 urgent … 3 low) and index open cases by urgency.

Existing cases get the rank of their level here; from then on the case services keep it
(and a constraint refuses a rank that does not follow the level)."""

from django.db import migrations, models
from django.db.models import Case, Value, When

RANKS = {"urgent": 0, "high": 1, "medium": 2, "low": 3}


def fill_risk_rank(apps, schema_editor):
    Case_ = apps.get_model("cases", "Case")
    Case_.objects.update(
        risk_rank=Case(
            *(When(risk_level=level, then=Value(rank)) for level, rank in RANKS.items()),
            default=Value(RANKS["medium"]),
        )
    )


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0003_case_plan_visit'),
    ]

    operations = [
        migrations.AddField(
            model_name='case',
            name='risk_rank',
            field=models.PositiveSmallIntegerField(editable=False, null=True),
        ),
        migrations.RunPython(fill_risk_rank, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='case',
            name='risk_rank',
            field=models.PositiveSmallIntegerField(editable=False),
        ),
        migrations.AddConstraint(
            model_name='case',
            constraint=models.CheckConstraint(condition=models.Q(('risk_level', 'urgent'), ('risk_rank', 0)) | models.Q(('risk_level', 'high'), ('risk_rank', 1)) | models.Q(('risk_level', 'medium'), ('risk_rank', 2)) | models.Q(('risk_level', 'low'), ('risk_rank', 3)), name='cases_risk_rank_follows_level'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('status__in', ['open', 'monitoring'])), fields=['risk_rank', 'next_follow_up_due', 'id'], name='cases_open_by_urgency'),
        ),
    ]
