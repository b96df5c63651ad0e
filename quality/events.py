"""Audit rows of the quality department's actions."""
