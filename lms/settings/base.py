"""
Settings shared by every environment. Each value is read from the environment once, here.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from accounts.providers.environment import sso_apps_from_env

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "core",
    "network",
    "accounts",
    "courses",
    "assessments",
    "certificates",
    "compliance",
    "quality",
    "demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_celery_beat",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",  # allauth's list of a person's sessions
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.dingtalk",
    "accounts.providers.wecom",
    "allauth.usersessions",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.RequestSizeLimitMiddleware",
    "core.middleware.AdminContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.IdleSessionMiddleware",
    "accounts.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "core.middleware.DomainErrorsMiddleware",
    # Last, so that it sees the lockout flag the sign-in set (django-axes' rule).
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp) on every response: scripts only from this site, and no
# inline script, so that text someone managed to store as HTML cannot run. Styles may be inline
# (Wagtail's rich text and embeds carry some). The Wagtail admin, whose pages carry inline
# scripts, gets its own policy (core.middleware.AdminContentSecurityPolicyMiddleware).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        # Lessons embed videos from the providers wagtail.embeds knows.
        "frame-src": ["'self'", "https:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no third-party avatar requests from the admin
WAGTAIL_ENABLE_UPDATE_CHECK = False  # nor a call to releases.wagtail.org, which the CSP blocks
# Passwords are reset through the site's own pages (accounts), limited per person and address;
# the admin's e-mail form beside them would be a second way in without those limits.
WAGTAIL_PASSWORD_RESET_ENABLED = False

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lms" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo runs a web server, a worker and beat against one file: WAL and a busy timeout
    # let them share it, and IMMEDIATE transactions avoid "database is locked" on upgrade.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Identity (accounts/). django-allauth runs sign-in, password reset, the second factor and single
# sign-on; django-axes locks an account after repeated wrong passwords. See docs/identity.md.
AUTHENTICATION_BACKENDS = [
    # First, so that a locked account is refused before its password is checked.
    "accounts.backends.LockoutBackend",
    # A username, an employee number or a phone number, with the password.
    "accounts.backends.StaffIdentifierBackend",
]
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.sso.SocialAccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.SignInForm"}
ACCOUNT_USER_DISPLAY = "accounts.adapters.user_display"
ACCOUNT_LOGIN_METHODS = {"username"}
# People are brought in by HR imports and the admin, never by signing themselves up.
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# The admin sends people here when they may not use it: show the page, never bounce back.
ACCOUNT_AUTHENTICATED_LOGIN_REDIRECTS = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    # Wrong passwords per account are counted by django-axes (AXES_* below), in the database,
    # where an administrator can see and lift a lock. What allauth counts here is per client
    # address, generous because an outlet's staff share one address.
    "login_failed": env("SIGNIN_FAILED_RATE_PER_ADDRESS", default="30/15m/ip"),
    "reset_password": "20/m/ip,5/m/key",
}
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
# The claim of a single sign-on identity that names the person it belongs to: "employee_number"
# (matched to Staff.employee_number) or "email" (matched to the account's address).
SSO_LINK_CLAIM = env("SSO_LINK_CLAIM", default="employee_number")
SSO_EMPLOYEE_NUMBER_CLAIM = env("SSO_EMPLOYEE_NUMBER_CLAIM", default="employee_number")
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {"OAUTH_PKCE_ENABLED": True},
}
# The providers offered, from SSO_* variables (docs/identity-sso.md); none when they are unset.
SOCIALACCOUNT_PROVIDERS = sso_apps_from_env(env, SOCIALACCOUNT_PROVIDERS)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", default="Service Network Academy")
# Trainers, senior trainers, auditors and administrators must have a second factor to use the
# site or the admin. Production turns this on; the demo leaves it off so its sign-ins stay one step.
MFA_REQUIRED_FOR_PRIVILEGED = env.bool("MFA_REQUIRED_FOR_PRIVILEGED", default=False)

# django-axes would also count per address (axes.W006); allauth's "login_failed" limit above does
# that, more generously, so that one person's lock does not lock the outlet they share it with.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_FAILURE_LIMIT = env.int("SIGNIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("SIGNIN_LOCKOUT_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "accounts.backends.axes_username"
AXES_USERNAME_FORM_FIELD = "login"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True  # accounts.SignInEvent records every sign-in

# Activation of imported people and the slips managers print for them.
ACTIVATION_VALID_DAYS = env.int("ACTIVATION_VALID_DAYS", default=14)
ACTIVATION_CODE_MAX_ATTEMPTS = 5
# Typed activation and reset codes per client address.
SETUP_CODE_RATE = env("SETUP_CODE_RATE", default="20/m")
PASSWORD_RESET_CODE_VALID_MINUTES = env.int("PASSWORD_RESET_CODE_VALID_MINUTES", default=15)
RESET_SMS_RATE = env("RESET_SMS_RATE", default="3/h")  # reset codes sent to one person
# SMS, chosen like Django's e-mail backends: console and file for development and tests, and
# accounts.sms.backends.aliyun.SmsBackend for Alibaba Cloud's SMS service (see docs/identity.md).
SMS_BACKEND = env("SMS_BACKEND", default="accounts.sms.backends.console.SmsBackend")
SMS_FILE_PATH = Path(env("SMS_FILE_PATH", default=str(VAR_DIR / "sms")))
# Alibaba Cloud SMS (accounts.sms.backends.aliyun): the AccessKey of a RAM user that may only
# send SMS, the approved signature (SignName), and the approved template of each purpose as JSON,
# e.g. {"activation": "SMS_123456789", "password_reset": "SMS_987654321"}.
SMS_ALIYUN_ACCESS_KEY_ID = env.str("SMS_ALIYUN_ACCESS_KEY_ID", default="")
SMS_ALIYUN_ACCESS_KEY_SECRET = env.str("SMS_ALIYUN_ACCESS_KEY_SECRET", default="")
SMS_ALIYUN_SIGN_NAME = env.str("SMS_ALIYUN_SIGN_NAME", default="")
SMS_ALIYUN_TEMPLATES = env.json("SMS_ALIYUN_TEMPLATES", default={})
SMS_ALIYUN_ENDPOINT = env.str("SMS_ALIYUN_ENDPOINT", default="https://dysmsapi.aliyuncs.com/")
SMS_ALIYUN_REGION = env.str("SMS_ALIYUN_REGION", default="cn-hangzhou")
SMS_ALIYUN_TIMEOUT = env.float("SMS_ALIYUN_TIMEOUT", default=10)  # seconds per request

# Sessions end SESSION_COOKIE_AGE seconds after sign-in, and after SESSION_IDLE_TIMEOUT seconds
# without a request (0: no idle limit). Each sign-in is recorded (allauth.usersessions), so that
# deactivating a person can end every session they have; activity is not written per request.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=14 * 24 * 60 * 60)
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=12 * 60 * 60)
USERSESSIONS_TRACK_ACTIVITY = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "lms" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Uploaded HR files and, later, assessment evidence: never under MEDIA_ROOT, never served directly.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="training@example.com")

WAGTAIL_SITE_NAME = _("Service Network Academy")
# The site's public address: what e-mails, printed certificates and posters link to. Each use
# may be given its own address below; by default they all share this one.
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PUBLIC_BASE_URL.startswith("https") else "http"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default=PUBLIC_BASE_URL)
WAGTAILADMIN_LOGIN_URL = LOGIN_URL
WAGTAIL_I18N_ENABLED = False
# Slugs stay ASCII (pinyin for Chinese titles: core.i18n.readable_slug, courses/static/courses/
# readable-slug.js); a Chinese slug is %-encoded in every link a trainer copies.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "txt", "zip", "mp4"]

# Celery. Without CELERY_BROKER_URL the demo still runs a real worker process, on kombu's
# SQLAlchemy transport over a SQLite file of its own, so a newcomer needs no Redis server. Each
# message is a row written in a transaction: unlike kombu's filesystem transport, whose
# half-written files stopped the worker (celery/kombu#1551), no reader can see half a message.
_DEMO_BROKER_FILE = Path(env("CELERY_BROKER_FILE", default=str(VAR_DIR / "celery-broker.sqlite3")))
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=f"sqlademo+sqlite:///{_DEMO_BROKER_FILE}")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
if CELERY_BROKER_URL.startswith("sqlademo+sqlite:///"):
    Path(CELERY_BROKER_URL.removeprefix("sqlademo+sqlite:///")).parent.mkdir(
        parents=True, exist_ok=True
    )
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="lms")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis delivers a message a worker took and did not acknowledge (the worker was killed) again
# after this many seconds: longer than the longest task (its time limit above), so that a task
# still running is not delivered twice in normal operation; each task is safe to run twice anyway.
# (The demo's SQLAlchemy transport hands its options to the database engine: none there.)
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=60 * 60),
        # How often a worker looks for such messages (kombu's default, 10 s × 10, is 100 s).
        "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_SECONDS", default=10),
        "unacked_restore_throttle": 1,
    }
# Seconds a task recorded in the outbox (core.outbox) waits for its own after-commit hand-over
# before the flush hands it to the broker.
OUTBOX_FLUSH_AFTER_SECONDS = env.int("OUTBOX_FLUSH_AFTER_SECONDS", default=30)

# Seconds after an exam's deadline that answers still in flight are accepted.
ASSESSMENT_GRACE_SECONDS = 30
# Photo evidence of practical assessments: size of one photo, and photos per assessment.
PRACTICAL_EVIDENCE_MAX_BYTES = env.int("PRACTICAL_EVIDENCE_MAX_BYTES", default=5 * 1024 * 1024)
PRACTICAL_EVIDENCE_MAX_FILES = env.int("PRACTICAL_EVIDENCE_MAX_FILES", default=20)
# A phone photo is 12 to 50 megapixels; more is a decompression bomb or not a photo.
PRACTICAL_EVIDENCE_MAX_PIXELS = env.int("PRACTICAL_EVIDENCE_MAX_PIXELS", default=50_000_000)
# Photo evidence of field audits: the same rules as practical evidence, more photos per audit.
AUDIT_EVIDENCE_MAX_BYTES = env.int("AUDIT_EVIDENCE_MAX_BYTES", default=PRACTICAL_EVIDENCE_MAX_BYTES)
AUDIT_EVIDENCE_MAX_FILES = env.int("AUDIT_EVIDENCE_MAX_FILES", default=30)
# Request bodies, refused from their Content-Length before they are read (413): the largest
# upload anywhere (an HR file of 20 MB) with room for the form, and a photo's limit for photos.
REQUEST_BODY_MAX_BYTES = env.int("REQUEST_BODY_MAX_BYTES", default=21 * 1024 * 1024)
REQUEST_BODY_LIMITS = [
    (r"^/assessments/practicals/\d+/evidence/$", PRACTICAL_EVIDENCE_MAX_BYTES + 256 * 1024),
    (r"^/quality/audits/\d+/evidence/$", AUDIT_EVIDENCE_MAX_BYTES + 256 * 1024),
]
CERTIFICATE_CJK_FONT = env("CERTIFICATE_CJK_FONT", default="")

# Certificates are signed with the Ed25519 keys in CERTIFICATE_KEY_DIR (see certificates/keys.py).
# With autogeneration off, `manage.py check` reports a missing key instead of creating one; turn
# it off in production, where a key created by one of several servers would not be shared.
CERTIFICATE_KEY_DIR = Path(env("CERTIFICATE_KEY_DIR", default=str(VAR_DIR / "certificate-keys")))
CERTIFICATE_KEY_AUTOGENERATE = env.bool("CERTIFICATE_KEY_AUTOGENERATE", default=True)
# The public address certificate QR codes point at.
CERTIFICATE_VERIFY_BASE_URL = env("CERTIFICATE_VERIFY_BASE_URL", default=PUBLIC_BASE_URL)
CERTIFICATE_VERIFY_RATE = env("CERTIFICATE_VERIFY_RATE", default="30/m")  # per client address
# The public outlet status page and API, and the address counter posters' QR codes point at.
OUTLET_STATUS_BASE_URL = env("OUTLET_STATUS_BASE_URL", default=CERTIFICATE_VERIFY_BASE_URL)
OUTLET_STATUS_RATE = env("OUTLET_STATUS_RATE", default="60/m")  # per client address
# Answers to the satisfaction survey of the counter poster, per client address and per outlet.
SURVEY_RATE_PER_ADDRESS = env("SURVEY_RATE_PER_ADDRESS", default="5/h")
SURVEY_RATE_PER_OUTLET = env("SURVEY_RATE_PER_OUTLET", default="120/h")

# Only development and test settings may generate the demo network.
DEMO_DATA_ALLOWED = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Every sign-in and failure is an accounts.SignInEvent; axes' own lines would repeat them.
        "axes": {"level": "WARNING"},
    },
}

# Daily jobs. django-celery-beat's database scheduler copies these into its tables, where
# administrators can see and change them.
CELERY_BEAT_SCHEDULE = {
    "onboarding-reminders": {
        "task": "courses.tasks.onboarding_reminders_task",
        "schedule": crontab(hour=8, minute=0),
    },
    "assessments-close-expired": {
        "task": "assessments.tasks.attempts_close_expired_task",
        "schedule": crontab(minute="*/5"),
    },
    "certificates-daily": {
        "task": "certificates.certificates_daily_task",
        "schedule": crontab(hour=7, minute=30),
    },
    # Before the daily certificate job: a holder who missed a policy update is suspended.
    "certificates-policy-updates-missed": {
        "task": "certificates.policy_updates_missed_task",
        "schedule": crontab(hour=7, minute=15),
    },
    # The month that just ended, recorded once on the first of the next month.
    "compliance-monthly-snapshot": {
        "task": "compliance.tasks.compliance_monthly_snapshot_task",
        "schedule": crontab(day_of_month=1, hour=0, minute=30),
    },
    # Last month's satisfaction per outlet, after the month's last answers are in.
    "quality-satisfaction-monthly": {
        "task": "quality.tasks.satisfaction_monthly_snapshot_task",
        "schedule": crontab(day_of_month=1, hour=0, minute=45),
    },
    # The four quality figures of the month that ended, after its compliance snapshot.
    "quality-monthly-snapshot": {
        "task": "quality.tasks.quality_monthly_snapshot_task",
        "schedule": crontab(day_of_month=1, hour=1, minute=0),
    },
    # Corrective training from the last days' survey answers and the open findings.
    "quality-corrective-rules": {
        "task": "quality.tasks.corrective_rules_apply_task",
        "schedule": crontab(hour=6, minute=30),
    },
    # Last month's report of each manager's, partner administrator's and auditor's scope, the
    # day after that month was recorded.
    "compliance-monthly-reports": {
        "task": "compliance.compliance_reports_deliver_task",
        "schedule": crontab(day_of_month=2, hour=6, minute=0),
    },
}

# Tasks recorded while the broker was away are handed over by this flush (core.outbox).
CELERY_BEAT_SCHEDULE["outbox-flush"] = {
    "task": "core.outbox_flush_task",
    "schedule": 60.0,
}
