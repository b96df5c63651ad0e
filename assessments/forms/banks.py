"""Forms of the assessments app in the Wagtail admin."""

from decimal import Decimal

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from ..bank_formats import (
    MULTIPLE,
    NUMERIC,
    ORDERING,
    SINGLE,
    BankFileError,
    category_path_parse,
    format_of,
    fraction_problems,
    numeric_answer_entry,
    numeric_answers_problems,
    question_problems,
)
from ..models import Question

SHORT_ANSWER, MATCHING = Question.Kind.SHORT_ANSWER, Question.Kind.MATCHING

# Where each broken rule is shown: the options are a formset, so their errors go on top.
_ERROR_FIELDS = {
    "options": NON_FIELD_ERRORS,
    "correct": NON_FIELD_ERRORS,
    "true_false_answer": "true_false_answer",
    "numeric_answer": "numeric_answer",
}


class QuestionAdminForm(WagtailAdminModelForm):
    """The question editor: refuses a question its kind's rules do not allow (see grading)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "partial_credit" in self.fields:
            # The model's help names multiple choice only; matching scores by pairs as well.
            self.fields["partial_credit"].help_text = _(
                "For multiple choice and matching questions. Proportional: a share of the points "
                "for each right choice, or for each item matched rightly."
            )

    def clean_numeric_answers(self):
        entries = self.cleaned_data.get("numeric_answers")
        if entries in (None, ""):
            return []
        problems = numeric_answers_problems(entries)
        if problems:
            raise forms.ValidationError(problems)
        return [
            numeric_answer_entry(
                e["value"],
                e.get("tolerance"),
                e["fraction"],
                e.get("feedback") or "",
                e.get("feedback_en") or "",
            )
            for e in entries
        ]

    def clean(self):
        cleaned_data = super().clean()
        kind = cleaned_data.get("kind")
        if kind and kind != NUMERIC and cleaned_data.get("numeric_answers"):
            self.add_error(
                "numeric_answers", _("Further numeric answers apply to numeric questions only.")
            )
        formset = self.formsets.get("options")
        if not kind or formset is None or not formset.is_valid():
            return cleaned_data
        kept = [
            form.cleaned_data
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if kind == SHORT_ANSWER:
            self._short_answer_check(kept)
            return cleaned_data
        if kind == MATCHING:
            self._matching_check(kept)
            return cleaned_data
        if kind in (SINGLE, MULTIPLE, ORDERING) and any(not o.get("text") for o in kept):
            # The text became optional for matching's extra wrong answers; a choice needs it.
            self.add_error(None, _("Every option needs its text."))
        options = [o for o in kept if o.get("text")]
        graded = any(o.get("fraction") is not None for o in options)
        for field_name, message in question_problems(
            kind=kind,
            option_count=len(options),
            correct_count=sum(1 for o in options if o.get("is_correct")),
            true_false_answer=cleaned_data.get("true_false_answer"),
            numeric_answer=cleaned_data.get("numeric_answer"),
            graded=graded and kind in (SINGLE, MULTIPLE),
        ):
            where = _ERROR_FIELDS[field_name]
            if where != NON_FIELD_ERRORS and where not in self.fields:
                where = NON_FIELD_ERRORS
            self.add_error(None if where == NON_FIELD_ERRORS else where, message)
        if graded:
            self._grades_check(kind, options)
        return cleaned_data

    def _short_answer_check(self, options):
        """Rules of `grading`'s short answer: accepted answers with text, one of full marks."""
        if any(not o.get("text") for o in options):
            self.add_error(None, _("Every accepted answer needs its text."))
        answers = [o for o in options if o.get("text")]
        fractions = [o.get("fraction") for o in answers]
        if any(f is not None and not 0 <= f <= 1 for f in fractions):
            self.add_error(None, _("The grade of an accepted answer is between 0 and 1."))
        if not any(f is None or f == 1 for f in fractions):
            self.add_error(
                None,
                _(
                    "A short answer question needs at least one accepted answer with full "
                    "marks (grade blank or 1)."
                ),
            )

    def _matching_check(self, options):
        """Rules of `grading`'s matching: pairs of item and answer, answers for every option."""
        if any(not o.get("match_text") for o in options):
            self.add_error(
                None,
                _(
                    "Every pair of a matching question needs its matching answer (an extra wrong "
                    "answer has an answer and no item)."
                ),
            )
        items = [o for o in options if o.get("text") and o.get("match_text")]
        if len(items) < 2:
            self.add_error(
                None, _("A matching question needs at least two items, each with its answer.")
            )

    def _grades_check(self, kind, options):
        """Grades (Moodle's fractions) apply to choice questions and decide the correct flags."""
        if kind not in (SINGLE, MULTIPLE):
            self.add_error(None, _("Option grades apply to single and multiple choice only."))
            return
        fractions = [o.get("fraction") or Decimal(0) for o in options]
        errors, doubts = fraction_problems(kind=kind, fractions=fractions)
        for message in errors + doubts:
            # In the editor a doubtful grade is refused: a file from Moodle imports with a note.
            self.add_error(None, message)
        right = [(f >= 1) if kind == SINGLE else (f > 0) for f in fractions]
        if right != [bool(o.get("is_correct")) for o in options]:
            self.add_error(
                None,
                _(
                    "With grades, mark as correct exactly the options with the full grade (single "
                    "choice) or a grade above 0 (multiple choice)."
                ),
            )


MAX_BANK_BYTES = 5 * 1024 * 1024


class BankUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Question bank file"),
        help_text=_(
            "The XLSX sheet (download the template below), Moodle XML (.xml) or GIFT (.gift, .txt)."
        ),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            ("", _("From the file name")),
            ("xlsx", "XLSX"),
            ("moodle", "Moodle XML"),
            ("gift", "GIFT"),
        ],
        required=False,
    )
    category = forms.CharField(
        label=_("Category for questions without one"),
        help_text=_(
            'A category path such as "手机维修/屏幕": questions the file puts in no category go '
            "there (GIFT files often have no $CATEGORY line)."
        ),
        required=False,
        max_length=500,
    )
    strict = forms.BooleanField(
        label=_("All or nothing"),
        help_text=_(
            "Refuse the whole file when any question is of a type that cannot be imported, "
            "instead of importing the others and listing what was skipped."
        ),
        required=False,
    )

    def clean_category(self):
        text = self.cleaned_data["category"].strip()
        path = category_path_parse(text)
        if text and not path:
            raise forms.ValidationError(_("This names no category."))
        return path

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BANK_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload

    def clean(self):
        cleaned_data = super().clean()
        upload = cleaned_data.get("file")
        if upload is not None:
            try:
                format_of(upload.name, cleaned_data.get("format") or None)
            except BankFileError as exc:
                self.add_error("file", str(exc))
        return cleaned_data


class BankConfirmForm(forms.Form):
    digest = forms.CharField(max_length=64, widget=forms.HiddenInput)
