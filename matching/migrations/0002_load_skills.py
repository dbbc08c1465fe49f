from django.db import migrations


def forwards(apps, schema_editor):
    from matching.taxonomy import load_skills

    load_skills(apps.get_model("matching", "Skill"))


class Migration(migrations.Migration):
    dependencies = [("matching", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
