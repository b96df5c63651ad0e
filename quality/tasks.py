"""Background work of the quality department."""
