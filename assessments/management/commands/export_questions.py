from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.models import QuestionCategory
from assessments.services.banks import EXPORT_FORMATS, bank_export_as


class Command(BaseCommand):
    help = (
        "Export the questions of a category and its subcategories as an XLSX bank (active "
        "questions), Moodle XML (inactive ones hidden) or GIFT (active questions; no ordering)."
    )

    def add_arguments(self, parser):
        parser.add_argument("category_id", type=int)
        parser.add_argument("path", type=Path)
        parser.add_argument("--format", choices=EXPORT_FORMATS, default="xlsx", dest="fmt")

    def handle(self, *args, category_id: int, path: Path, fmt: str, **options):
        try:
            category = QuestionCategory.objects.get(pk=category_id)
        except QuestionCategory.DoesNotExist as exc:
            raise CommandError(f"No question category {category_id}") from exc
        content, left_out = bank_export_as(category=category, fmt=fmt)
        path.write_bytes(content)
        for problem in left_out:
            self.stderr.write(
                f"Left out question {problem.item} ({problem.label}): {problem.message}"
            )
        self.stdout.write(f"Wrote {category} to {path}")
