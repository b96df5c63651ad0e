from django.db import migrations


def revoke_replaced_setups(apps, schema_editor):
    """
    Earlier issues revoked only the setups not yet expired, so a person may have several pending
    ones (expired, never used). The newest stays pending; each older one is revoked as of the
    moment the next one replaced it. Its own migration, so that on PostgreSQL the constraint of
    the next one is added in a transaction without these updates.
    """
    PasswordSetup = apps.get_model("accounts", "PasswordSetup")
    pending = PasswordSetup.objects.filter(used_at__isnull=True, revoked_at__isnull=True)
    newer = {}  # user id -> when the newer pending setup seen last was issued
    for pk, user_id, created_at in pending.order_by("user_id", "-created_at", "-pk").values_list(
        "pk", "user_id", "created_at"
    ):
        if user_id in newer:
            PasswordSetup.objects.filter(pk=pk).update(revoked_at=newer[user_id])
        newer[user_id] = created_at


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_auditors_read_sign_in_records"),
    ]

    operations = [
        migrations.RunPython(revoke_replaced_setups, migrations.RunPython.noop),
    ]
