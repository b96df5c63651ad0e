from django.db import migrations

from core.phones import phone_normalise


def normalise(apps, schema_editor):
    Staff = apps.get_model("network", "Staff")
    changed = []
    for person in Staff.objects.exclude(phone="").only("pk", "phone").iterator():
        number = phone_normalise(person.phone)
        if number != person.phone:
            person.phone = number
            changed.append(person)
    Staff.objects.bulk_update(changed, ["phone"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("network", "0003_additional_roles")]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop)]
