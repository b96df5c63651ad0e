from django.db import migrations

# The quality department reads the audit trail of sign-ins and the record of SMS sent.
GROUPS = ["Auditors"]
PERMISSIONS = {"signinevent": "sign-in events", "smsmessage": "SMS messages"}


def grant(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ContentType = apps.get_model("contenttypes.ContentType")
    permissions = []
    for model, label in PERMISSIONS.items():
        content_type, _ = ContentType.objects.get_or_create(app_label="accounts", model=model)
        permissions.append(
            Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"view_{model}",
                defaults={"name": f"Can view {label}"},
            )[0]
        )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth.Permission")
    for group in apps.get_model("auth.Group").objects.filter(name__in=GROUPS):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="accounts",
                codename__in=[f"view_{model}" for model in PERMISSIONS],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("network", "0002_role_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
