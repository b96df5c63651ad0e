"""The admin of field audits."""
