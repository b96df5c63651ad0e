from django.core.management.base import BaseCommand

from certificates.keys import key_store


class Command(BaseCommand):
    help = (
        "List, generate or rotate the certificate signing keys in CERTIFICATE_KEY_DIR. "
        "generate creates a key only when there is no signing key; rotate makes a new key "
        "current and retires the old ones, which stay published and keep verifying."
    )

    # It makes the key whose absence the "certificates" system check reports: that check must not
    # stop it.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list", "generate", "rotate"])

    def handle(self, *args, action: str, **options):
        store = key_store()
        if action == "generate":
            record, created = store.generate()
            if created:
                self.stdout.write(f"Generated signing key {record.kid} in {store.directory}")
            else:
                self.stdout.write(f"Signing key {record.kid} already exists in {store.directory}")
        elif action == "rotate":
            record = store.rotate()
            self.stdout.write(f"Rotated: {record.kid} now signs; older keys are retired")
        current = store.current()
        self.stdout.write(f"Keys in {store.directory}:")
        for record in store.records():
            retired = f"retired {record.retired.isoformat()}" if record.retired else ""
            marker = "current" if current and record.kid == current.kid else retired
            self.stdout.write(f"  {record.kid}  created {record.created.isoformat()}  {marker}")
