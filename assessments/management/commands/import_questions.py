from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from assessments.bank_formats import FORMATS, category_path_parse
from assessments.services.banks import bank_import


class Command(BaseCommand):
    help = (
        "Import a question bank (XLSX, Moodle XML or GIFT); questions of a type that cannot "
        "be imported are skipped and listed (--strict refuses the file instead); --dry-run "
        "only checks."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check and count only.")
        parser.add_argument(
            "--format",
            dest="fmt",
            choices=FORMATS,
            help="Default: from the extension (.xlsx .xml .gift .txt).",
        )
        parser.add_argument("--user", help="Username recorded as the author of new versions.")
        parser.add_argument(
            "--category",
            help='Category for questions the file gives none, as a path: "手机维修/屏幕".',
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Refuse the whole file when any question is of a type that cannot be imported.",
        )

    def handle(self, *args, path: Path, dry_run: bool, fmt: str | None, user: str | None, **kw):
        category = category_path_parse(kw.get("category") or "")
        if kw.get("category") and not category:
            raise CommandError("--category names no category")
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        actor = None
        if user:
            try:
                actor = get_user_model().objects.get_by_natural_key(user)
            except get_user_model().DoesNotExist as exc:
                raise CommandError(f"No user {user}") from exc
        report = bank_import(
            content=path.read_bytes(),
            filename=path.name,
            fmt=fmt,
            apply=not dry_run,
            actor=actor,
            default_category=category,
            strict=kw.get("strict", False),
        )
        for skipped in report.skipped:
            self.stderr.write(
                f"skipped: item {skipped.item} {skipped.label} [{skipped.field}]: {skipped.message}"
            )
        for warning in report.warnings:
            self.stderr.write(
                f"note: item {warning.item} {warning.label} [{warning.field}]: {warning.message}"
            )
        if not report.ok:
            for error in report.errors:
                self.stderr.write(
                    f"item {error.item} {error.label} [{error.field}]: {error.message}"
                )
            raise CommandError(f"{len(report.errors)} problems: nothing was imported.")
        verb = "imported" if report.applied else "checked (dry run, nothing written)"
        self.stdout.write(
            f"{report.total} questions {verb}: {report.created} new, {report.updated} changed, "
            f"{report.unchanged} unchanged; {report.categories_created} new categories"
            + (f"; {len(report.skipped)} skipped." if report.skipped else ".")
        )
