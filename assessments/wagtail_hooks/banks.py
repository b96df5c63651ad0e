"""Question banks and exams in the Wagtail admin."""
