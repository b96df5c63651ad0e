"""Compliance pages: the reports, their exports, and the public outlet status and poster."""
