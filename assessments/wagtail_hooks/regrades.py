"""Regrading and item statistics in the Wagtail admin."""
