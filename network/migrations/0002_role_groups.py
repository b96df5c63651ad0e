from django.db import migrations

# Trainers and auditors work in the Wagtail admin; outlet managers, partner administrators and
# learners do not, and so get no group here.
GROUPS = {
    "Trainers": {
        "network": ["view_partnercompany", "view_outlet", "view_staff"],
    },
    "Auditors": {
        "network": [
            "view_partnercompany",
            "change_partnercompany",
            "add_partnercompany",
            "view_outlet",
            "change_outlet",
            "add_outlet",
            "view_staff",
            "change_staff",
            "add_staff",
            "add_importbatch",
            "view_importbatch",
        ],
    },
}


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ContentType = apps.get_model("contenttypes.ContentType")
    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = Permission.objects.get_or_create(
        content_type=admin_type, codename="access_admin", defaults={"name": "Can access Wagtail admin"}
    )
    for group_name, apps_perms in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(access_admin)
        for app_label, codenames in apps_perms.items():
            for codename in codenames:
                action, model = codename.split("_", 1)
                content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
                permission, _ = Permission.objects.get_or_create(
                    content_type=content_type,
                    codename=codename,
                    defaults={"name": f"Can {action} {model}"},
                )
                group.permissions.add(permission)


def remove_groups(apps, schema_editor):
    apps.get_model("auth.Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
