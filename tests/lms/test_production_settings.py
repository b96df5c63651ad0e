import os
import subprocess
import sys

from django.conf import settings

SECRET = "x" * 20 + "-production-secret-for-tests-" + "y" * 20


def _run(code: str, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    environment.update(DJANGO_SETTINGS_MODULE="lms.settings.production", **env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _run("import django; django.setup()")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = _run("import django; django.setup()", DJANGO_SECRET_KEY="short")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_sets_secure_cookies_hsts_whitenoise_and_no_demo_data():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_SSL_REDIRECT, s.DEBUG, s.DEMO_DATA_ALLOWED, "
        "s.STORAGES['staticfiles']['BACKEND'], "
        "'whitenoise.middleware.WhiteNoiseMiddleware' in s.MIDDLEWARE)"
    )
    result = _run(code, DJANGO_SECRET_KEY=SECRET)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "True",
        "31536000",
        "True",
        "False",
        "False",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "True",
    ]


def test_deploy_checks_report_nothing_under_production_settings():
    code = (
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
    )
    result = _run(code, DJANGO_SECRET_KEY=SECRET)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_seed_demo_is_refused_under_production_settings():
    code = (
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'seed_demo'])"
    )
    result = _run(code, DJANGO_SECRET_KEY=SECRET, DATABASE_URL="sqlite:///:memory:")
    assert result.returncode != 0
    assert "Demo data is not allowed with these settings" in result.stderr
