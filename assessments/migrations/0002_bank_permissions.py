from django.db import migrations

# Trainers and senior trainers write question banks, exams and practical checklists; auditors
# read them. Nobody deletes them in the admin: answered questions and taken exams are history,
# and are retired with their "active" flag instead.
MODELS = ("question", "questioncategory", "assessment", "practicalchecklist")
GROUP_ACTIONS = {
    "Trainers": ("add", "change", "view"),
    "Senior trainers": ("add", "change", "view"),
    "Auditors": ("view",),
}


def _permission(apps, model, action):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    # Permissions are normally created after migrate (post_migrate); on a fresh database they may
    # not exist yet, so create them the way Django would.
    content_type, _ = ContentType.objects.get_or_create(app_label="assessments", model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=f"{action}_{model}",
        defaults={"name": f"Can {action} {model}"},
    )
    return permission


def grant(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    for group_name, actions in GROUP_ACTIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(
            *(_permission(apps, model, action) for model in MODELS for action in actions)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    codenames = [f"{action}_{model}" for model in MODELS for action in ("add", "change", "view")]
    permissions = Permission.objects.filter(
        content_type__app_label="assessments", codename__in=codenames
    )
    for group in Group.objects.filter(name__in=GROUP_ACTIONS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0001_question_banks_exams_practicals"),
        ("courses", "0004_review_workflow"),
        ("network", "0002_role_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
