"""Load the shipped instrument files (shouwang/assessments/instruments/*.json).

Idempotent, like ``shouwang assessments load``; refuses a changed definition of a version
that is already loaded. New files added later are loaded by that command (run it on each
deployment, docs/assessments.md) or by a new data migration.
"""

from django.db import migrations


def load(apps, schema_editor):
    from shouwang.assessments import loading  # pure: reads and checks the JSON

    Instrument = apps.get_model("assessments", "Instrument")
    for path in loading.instrument_files():
        raw, parsed = loading.read_definition(path)
        loading.load_definition(Instrument, raw, parsed)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
