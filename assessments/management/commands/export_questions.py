from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.models import QuestionCategory
from assessments.services.banks import bank_export


class Command(BaseCommand):
    help = "Export the active questions of a category and its subcategories as an XLSX bank."

    def add_arguments(self, parser):
        parser.add_argument("category_id", type=int)
        parser.add_argument("path", type=Path)

    def handle(self, *args, category_id: int, path: Path, **options):
        try:
            category = QuestionCategory.objects.get(pk=category_id)
        except QuestionCategory.DoesNotExist as exc:
            raise CommandError(f"No question category {category_id}") from exc
        path.write_bytes(bank_export(category=category))
        self.stdout.write(f"Wrote {category} to {path}")
