"""The admin of the satisfaction survey."""
