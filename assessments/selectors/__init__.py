"""Reads of the assessments app: exams and attempts, practical assessments."""
