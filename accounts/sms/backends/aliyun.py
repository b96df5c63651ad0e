"""
Alibaba Cloud's SMS service (Dysmsapi): SendSms through its HTTP RPC API, signed with
signature version 1.0 (HMAC-SHA1, https://help.aliyun.com/document_detail/315526.html).

Mainland Chinese carriers deliver only approved templates, so the gateway is sent the template
code of the purpose and its parameters (`template_params`), never the text: the text is what the
console and file backends show. Only the standard library is used, so the adapter adds no
dependency for one HTTP call.

Settings: SMS_ALIYUN_ACCESS_KEY_ID, SMS_ALIYUN_ACCESS_KEY_SECRET, SMS_ALIYUN_SIGN_NAME,
SMS_ALIYUN_TEMPLATES (purpose -> TemplateCode), SMS_ALIYUN_ENDPOINT, SMS_ALIYUN_REGION,
SMS_ALIYUN_TIMEOUT (seconds).
"""

import base64
import datetime
import hashlib
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid

from django.conf import settings

from .base import BaseSmsBackend, SmsError

DEFAULT_ENDPOINT = "https://dysmsapi.aliyuncs.com/"
DEFAULT_REGION = "cn-hangzhou"
DEFAULT_TIMEOUT = 10
API_VERSION = "2017-05-25"
# The gateway's answers are a few hundred bytes; more is not the gateway.
MAX_RESPONSE_BYTES = 64 * 1024
_LOOPBACK = {"localhost", "127.0.0.1", "::1"}


def percent_encode(value: str) -> str:
    """
    Return `value` percent-encoded as Alibaba's RPC signature requires: UTF-8, every byte but
    A-Z a-z 0-9 - _ . ~ as %XX, a space as %20 (not +), "*" as %2A.
    """
    return urllib.parse.quote(value, safe="-_.~")


def rpc_signature(params: dict[str, str], secret: str, *, method: str = "GET") -> str:
    """Return the Signature of a request carrying `params` (without Signature)."""
    canonical = "&".join(
        f"{percent_encode(key)}={percent_encode(value)}" for key, value in sorted(params.items())
    )
    string_to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


class SmsBackend(BaseSmsBackend):
    """
    Missing configuration is an SmsError at send time, not ImproperlyConfigured at construction:
    `sms_send` records an SmsError as a failed message and goes on, so a forgotten template code
    for one purpose shows as failed rows that name the setting (and a logged warning), instead of
    an exception that stops a batch of activations half way. A system check is the place to catch
    it before the first send.
    """

    def __init__(self):
        self.access_key_id = getattr(settings, "SMS_ALIYUN_ACCESS_KEY_ID", "")
        self.access_key_secret = getattr(settings, "SMS_ALIYUN_ACCESS_KEY_SECRET", "")
        self.sign_name = getattr(settings, "SMS_ALIYUN_SIGN_NAME", "")
        self.templates = getattr(settings, "SMS_ALIYUN_TEMPLATES", None) or {}
        self.endpoint = getattr(settings, "SMS_ALIYUN_ENDPOINT", "") or DEFAULT_ENDPOINT
        self.region = getattr(settings, "SMS_ALIYUN_REGION", "") or DEFAULT_REGION
        self.timeout = float(getattr(settings, "SMS_ALIYUN_TIMEOUT", DEFAULT_TIMEOUT))

    def send(self, *, phone, text, purpose, template_params):
        template_code = self._template_code(purpose)
        params = {
            "Action": "SendSms",
            "Version": API_VERSION,
            "RegionId": self.region,
            # The gateway takes mainland numbers bare and others as country code and number,
            # without the "+" that phone_normalise keeps.
            "PhoneNumbers": phone.removeprefix("+"),
            "SignName": self.sign_name,
            "TemplateCode": template_code,
            "TemplateParam": json.dumps(template_params, ensure_ascii=False, separators=(",", ":")),
            "AccessKeyId": self.access_key_id,
            "Format": "JSON",
            "SignatureMethod": "HMAC-SHA1",
            "SignatureVersion": "1.0",
            "SignatureNonce": str(uuid.uuid4()),
            "Timestamp": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        params["Signature"] = rpc_signature(params, self.access_key_secret)
        query = "&".join(
            f"{percent_encode(key)}={percent_encode(value)}" for key, value in params.items()
        )
        try:
            answer = self._get(f"{self.endpoint}?{query}")
            if answer.get("Code") != "OK":
                raise SmsError(f"Aliyun refused: {_describe(answer)}")
            if not answer.get("BizId"):
                raise SmsError(f"Aliyun answered OK without a BizId: {_describe(answer)}")
        except SmsError as error:
            # A gateway message may quote a parameter it refused ("invalid value 123456"): the
            # code must not reach the SmsMessage row or the log through it.
            message = str(error)
            for value in template_params.values():
                if str(value):
                    message = message.replace(str(value), "***")
            raise SmsError(message) from None
        return str(answer["BizId"])

    def _template_code(self, purpose: str) -> str:
        missing = [
            name
            for name, value in (
                ("SMS_ALIYUN_ACCESS_KEY_ID", self.access_key_id),
                ("SMS_ALIYUN_ACCESS_KEY_SECRET", self.access_key_secret),
                ("SMS_ALIYUN_SIGN_NAME", self.sign_name),
            )
            if not value
        ]
        if missing:
            raise SmsError(f"Aliyun SMS is not configured: {', '.join(missing)} not set")
        purpose = str(purpose)  # SmsMessage.Purpose members are str; their repr is not the value
        template_code = self.templates.get(purpose)
        if not template_code:
            raise SmsError(f"Aliyun SMS is not configured: no SMS_ALIYUN_TEMPLATES[{purpose!r}]")
        parts = urllib.parse.urlsplit(self.endpoint)
        # The query carries the code in TemplateParam: it never travels in clear, except to a
        # gateway double on this machine.
        if not (
            parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in _LOOPBACK)
        ):
            raise SmsError("SMS_ALIYUN_ENDPOINT must be an https:// URL")
        return template_code

    def _get(self, url: str) -> dict:
        # noqa: S310 below: the endpoint's scheme is https (or http to this machine), checked
        # before anything is sent.
        request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
        # Error messages below name the failure, never the URL: its query holds the parameters.
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = response.read(MAX_RESPONSE_BYTES)
        except urllib.error.HTTPError as error:
            # The gateway answers a refused signature or parameter with a 4xx and a JSON body
            # naming the Code; that is worth more than the status line.
            try:
                answer = json.loads(error.read(MAX_RESPONSE_BYTES))
            except (ValueError, OSError):
                answer = None
            finally:
                error.close()
            if isinstance(answer, dict) and answer.get("Code"):
                raise SmsError(f"Aliyun refused (HTTP {error.code}): {_describe(answer)}") from None
            raise SmsError(f"Aliyun answered HTTP {error.code}") from None
        except TimeoutError:
            raise SmsError(f"Aliyun did not answer within {self.timeout:g} s") from None
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                raise SmsError(f"Aliyun did not answer within {self.timeout:g} s") from None
            raise SmsError(f"Aliyun unreachable: {error.reason}") from None
        except OSError as error:
            raise SmsError(f"Aliyun unreachable: {error.__class__.__name__}: {error}") from None
        try:
            answer = json.loads(body)
        except ValueError:
            raise SmsError("Aliyun answered something that is not JSON") from None
        if not isinstance(answer, dict):
            raise SmsError("Aliyun answered JSON that is not an object")
        return answer


def _describe(answer: dict) -> str:
    parts = [str(answer.get("Code") or "no Code")]
    if answer.get("Message"):
        parts.append(str(answer["Message"]))
    description = ": ".join(parts)
    if answer.get("RequestId"):
        description += f" (RequestId {answer['RequestId']})"
    return description
