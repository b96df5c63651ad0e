"""Site pages of the assessments app: exams for learners, practical sign-off for assessors."""
