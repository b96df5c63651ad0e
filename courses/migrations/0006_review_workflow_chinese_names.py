from django.db import migrations

# Wagtail shows a workflow's and a task's names as they are stored ("提交给<workflow>", the
# review e-mails' "moderation stage"), untranslated: name them in the trainers' language.
# Names an administrator has changed are left alone.
NAMES = [
    ("wagtailcore.Workflow", "Training content review", "培训内容审核"),
    ("wagtailcore.Task", "Senior trainer review", "高级讲师审核"),
]


def name_in_chinese(apps, schema_editor):
    for model, english, chinese in NAMES:
        apps.get_model(model).objects.filter(name=english).update(name=chinese)


def name_in_english(apps, schema_editor):
    for model, english, chinese in NAMES:
        apps.get_model(model).objects.filter(name=chinese).update(name=english)


class Migration(migrations.Migration):
    dependencies = [("courses", "0005_track_refresher_courses")]

    operations = [migrations.RunPython(name_in_chinese, name_in_english)]
