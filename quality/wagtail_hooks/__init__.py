from . import audits, rules, surveys  # noqa: F401
