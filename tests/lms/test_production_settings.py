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


CHECK_DEPLOY = (
    "import sys; from django.core.management import execute_from_command_line; "
    "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
)


def _manage(*args) -> str:
    return (
        "from django.core.management import execute_from_command_line; "
        f"execute_from_command_line({['manage.py', *args]!r})"
    )


def _signing_key(tmp_path) -> str:
    keys = str(tmp_path / "keys")
    generated = _run(
        _manage("certificate_keys", "generate"), DJANGO_SECRET_KEY=SECRET, CERTIFICATE_KEY_DIR=keys
    )
    assert generated.returncode == 0, generated.stderr
    assert generated.stdout.startswith("Generated signing key ")
    return keys


def test_production_does_not_generate_a_signing_key_on_first_use():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CERTIFICATE_KEY_AUTOGENERATE)"
    )

    assert _run(code, DJANGO_SECRET_KEY=SECRET).stdout.split() == ["False"]
    assert _run(
        code, DJANGO_SECRET_KEY=SECRET, CERTIFICATE_KEY_AUTOGENERATE="true"
    ).stdout.split() == ["True"]


def test_deploy_checks_report_nothing_under_production_settings_with_a_signing_key(tmp_path):
    keys = _signing_key(tmp_path)

    result = _run(
        CHECK_DEPLOY,
        DJANGO_SECRET_KEY=SECRET,
        CERTIFICATE_KEY_DIR=keys,
        CACHE_URL="redis://127.0.0.1:6379/1",
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_deploy_checks_warn_when_the_cache_is_not_shared(tmp_path):
    result = _run(
        CHECK_DEPLOY, DJANGO_SECRET_KEY=SECRET, CERTIFICATE_KEY_DIR=_signing_key(tmp_path)
    )

    assert result.returncode != 0
    assert "(accounts.W001)" in result.stderr


def test_production_caches_in_redis_when_given_a_cache_url():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CACHES['default']['BACKEND'], s.CACHES['default']['LOCATION'])"
    )
    result = _run(code, DJANGO_SECRET_KEY=SECRET, CACHE_URL="redis://10.0.0.5:6379/2")

    assert result.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://10.0.0.5:6379/2",
    ]


def test_deploy_checks_refuse_production_settings_without_a_signing_key(tmp_path):
    keys = tmp_path / "keys"

    # check --deploy runs every registered check, the "certificates" ones included.
    result = _run(CHECK_DEPLOY, DJANGO_SECRET_KEY=SECRET, CERTIFICATE_KEY_DIR=str(keys))

    assert result.returncode != 0
    assert "(certificates.E001) There is no certificate signing key" in result.stderr
    assert not keys.exists()


def test_make_lint_checks_the_deploy_settings_without_a_key_by_allowing_one_on_first_use():
    # The lint machine has no signing key; the refusal itself is tested above.
    result = _run(
        CHECK_DEPLOY,
        DJANGO_SECRET_KEY=SECRET,
        CERTIFICATE_KEY_DIR="/nonexistent/keys",
        CERTIFICATE_KEY_AUTOGENERATE="true",
        DJANGO_SILENCED_SYSTEM_CHECKS="accounts.W001",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_seed_demo_is_refused_under_production_settings(tmp_path):
    code = (
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'seed_demo'])"
    )
    result = _run(
        code,
        DJANGO_SECRET_KEY=SECRET,
        DATABASE_URL="sqlite:///:memory:",
        CERTIFICATE_KEY_DIR=_signing_key(tmp_path),
    )
    assert result.returncode != 0
    assert "Demo data is not allowed with these settings" in result.stderr


def test_one_public_address_serves_certificates_posters_and_admin_links():
    result = _run(
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CERTIFICATE_VERIFY_BASE_URL, s.OUTLET_STATUS_BASE_URL, s.WAGTAILADMIN_BASE_URL)",
        DJANGO_SECRET_KEY=SECRET,
        PUBLIC_BASE_URL="https://academy.example.com/",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["https://academy.example.com"] * 3
