from . import audits, surveys  # noqa: F401
