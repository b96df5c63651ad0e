from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from network.models import ImportBatch
from network.services import network_file_import


class Command(BaseCommand):
    help = (
        "Import outlets or staff from a CSV or XLSX file exported by an HR system. "
        "Checks every row first; a file with any bad row imports nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=[k.value for k in ImportBatch.Kind])
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; write nothing."
        )

    def handle(self, *args, kind, path, dry_run, **options):
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        report = network_file_import(
            kind=kind, content=path.read_bytes(), filename=path.name, apply=not dry_run
        )
        for error in report.errors:
            where = f"row {error.row}, column {error.column}" if error.row else "file"
            self.stderr.write(f"{where}: {error.message}")
        summary = (
            f"{report.total_rows} rows: {report.created} new, {report.updated} changed, "
            f"{report.unchanged} unchanged"
        )
        if not report.ok:
            count = len(report.errors)
            problems = "1 problem" if count == 1 else f"{count} problems"
            raise CommandError(f"{problems}; nothing was imported. ({summary})")
        verb = "Imported" if report.applied else "Checked (dry run, nothing written)"
        self.stdout.write(self.style.SUCCESS(f"{verb}: {summary}."))
