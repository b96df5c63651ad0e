import base64
import datetime
import hashlib
import hmac
import http.server
import json
import logging
import re
import socket
import threading
import time
import urllib.parse
import uuid

import pytest
from django.forms.models import model_to_dict

from accounts.models import SmsMessage
from accounts.sms import sms_send
from accounts.sms.backends import aliyun, locmem

ALIYUN = "accounts.sms.backends.aliyun.SmsBackend"
KEY_ID = "LTAI5tTestKeyId"
SECRET = "TestSecretOfTheGatewayDouble"
SIGN_NAME = "星联售后"
TEMPLATES = {"activation": "SMS_100001", "password_reset": "SMS_100002"}
CODE = "K7PX3MQ9"
TEXT = f"【星联售后】您的激活码是 {CODE}，14 天内有效。Your activation code is {CODE}."
# A space, a "*" and Chinese: the characters Alibaba's percent-encoding treats specially.
PARAMS = {"code": CODE, "name": "王 芳*"}
PHONE = "+86 138-0013-8000"


# Alibaba's RPC signature, version 1.0, written from the published rules
# (https://help.aliyun.com/document_detail/315526.html) without the backend's code: a byte-wise
# percent-encoding of UTF-8 that keeps only A-Z a-z 0-9 - _ . ~, parameters sorted by name,
# StringToSign = "GET&%2F&" + encode(canonical query), key = secret + "&".
def _encode(value: str) -> str:
    kept = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~"
    return "".join(chr(b) if chr(b) in kept else f"%{b:02X}" for b in value.encode("utf-8"))


def _signature(params: dict, secret: str) -> str:
    canonical = "&".join(f"{_encode(k)}={_encode(v)}" for k, v in sorted(params.items()))
    string_to_sign = "GET&" + _encode("/") + "&" + _encode(canonical)
    mac = hmac.new(f"{secret}&".encode(), string_to_sign.encode("utf-8"), hashlib.sha1)
    return base64.b64encode(mac.digest()).decode()


# The example of Alibaba's SMS documentation ("HTTP协议及签名", document_detail/56189), quoted
# unchanged by the SDKs' own tests.
PUBLISHED_SEND_SMS = {
    "AccessKeyId": "testId",
    "Action": "SendSms",
    "Format": "XML",
    "OutId": "123",
    "PhoneNumbers": "15300000001",
    "RegionId": "cn-hangzhou",
    "SignName": "阿里云短信测试专用",
    "SignatureMethod": "HMAC-SHA1",
    "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
    "SignatureVersion": "1.0",
    "TemplateCode": "SMS_71390007",
    "TemplateParam": '{"customer":"test"}',
    "Timestamp": "2017-07-12T02:42:19Z",
    "Version": "2017-05-25",
}
# The DescribeRegions example of the RPC signature documentation.
PUBLISHED_DESCRIBE_REGIONS = {
    "AccessKeyId": "testid",
    "Action": "DescribeRegions",
    "Format": "XML",
    "SignatureMethod": "HMAC-SHA1",
    "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
    "SignatureVersion": "1.0",
    "Timestamp": "2016-02-23T12:46:24Z",
    "Version": "2014-05-26",
}


@pytest.mark.parametrize("sign", [_signature, aliyun.rpc_signature], ids=["test", "backend"])
def test_signature_matches_alibabas_published_examples(sign):
    assert sign(PUBLISHED_SEND_SMS, "testSecret") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="
    assert sign(PUBLISHED_DESCRIBE_REGIONS, "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


def test_percent_encoding_follows_alibabas_rules():
    assert aliyun.percent_encode("a b*c~d/e+f=g&h") == "a%20b%2Ac~d%2Fe%2Bf%3Dg%26h"
    assert aliyun.percent_encode("星") == "%E6%98%9F"


class _Gateway:
    """A Dysmsapi double on loopback: checks each request's signature, answers as told."""

    def __init__(self):
        self.requests: list[dict] = []
        self.raw_queries: list[str] = []
        self.status = 200
        self.body: bytes = b""
        self.hang = threading.Event()  # set: keep the client waiting until released
        self.release = threading.Event()
        self.answer({"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0"})

    def answer(self, body, status=200):
        self.status = status
        self.body = body if isinstance(body, bytes) else json.dumps(body).encode()

    def handle(self, handler: http.server.BaseHTTPRequestHandler):
        parts = urllib.parse.urlsplit(handler.path)
        self.raw_queries.append(parts.query)
        params = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
        signature = params.pop("Signature", "")
        self.requests.append(params)
        if self.hang.is_set():
            self.release.wait(10)
        status, body = self.status, self.body
        if signature != _signature(params, SECRET):
            status = 400
            body = json.dumps(
                {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched"}
            ).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json;charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client that timed out and left: expected here


@pytest.fixture
def gateway(monkeypatch):
    double = _Gateway()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            double.handle(self)

        def log_message(self, format, *args):
            pass  # the request line holds the query; the tests' output stays clean

    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    server = _Server(("127.0.0.1", 0), Handler)
    # A short poll: shutdown() waits for it, at the end of every test.
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    double.url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        yield double
    finally:
        double.release.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def aliyun_settings(settings, gateway):
    settings.SMS_BACKEND = ALIYUN
    settings.SMS_ALIYUN_ACCESS_KEY_ID = KEY_ID
    settings.SMS_ALIYUN_ACCESS_KEY_SECRET = SECRET
    settings.SMS_ALIYUN_SIGN_NAME = SIGN_NAME
    settings.SMS_ALIYUN_TEMPLATES = dict(TEMPLATES)
    settings.SMS_ALIYUN_ENDPOINT = gateway.url
    settings.SMS_ALIYUN_REGION = "cn-hangzhou"
    settings.SMS_ALIYUN_TIMEOUT = 3
    return settings


def _send(purpose=SmsMessage.Purpose.ACTIVATION) -> SmsMessage:
    return sms_send(phone=PHONE, text=TEXT, purpose=purpose, template_params=PARAMS)


def test_accepted_message_is_recorded_sent_with_the_biz_id(db, aliyun_settings, gateway):
    message = _send()

    assert message.status == SmsMessage.Status.SENT
    assert message.gateway_reference == "900619746936498440^0"
    assert message.error == ""
    assert message.phone == "13800138000"
    assert message.purpose == "activation"
    assert message.backend == ALIYUN
    assert SmsMessage.objects.count() == 1
    (params,) = gateway.requests
    timestamp, nonce = params.pop("Timestamp"), params.pop("SignatureNonce")
    assert params == {
        "Action": "SendSms",
        "Version": "2017-05-25",
        "RegionId": "cn-hangzhou",
        "PhoneNumbers": "13800138000",
        "SignName": SIGN_NAME,
        "TemplateCode": "SMS_100001",
        "TemplateParam": params["TemplateParam"],
        "AccessKeyId": KEY_ID,
        "Format": "JSON",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureVersion": "1.0",
    }
    assert json.loads(params["TemplateParam"]) == PARAMS
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", timestamp)
    sent_at = datetime.datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.UTC
    )
    assert abs(datetime.datetime.now(datetime.UTC) - sent_at) < datetime.timedelta(minutes=1)
    assert uuid.UUID(nonce).version == 4
    # Spaces travel as %20, never as "+", which Alibaba would read as a plus sign.
    assert "+" not in gateway.raw_queries[0].split("&Signature=")[0]


def test_backend_returns_the_gateway_reference(aliyun_settings, gateway):
    reference = aliyun.SmsBackend().send(
        phone="13800138000", text=TEXT, purpose="activation", template_params=PARAMS
    )

    assert reference == "900619746936498440^0"


def test_each_purpose_sends_its_own_template(db, aliyun_settings, gateway):
    _send(SmsMessage.Purpose.PASSWORD_RESET)

    assert gateway.requests[0]["TemplateCode"] == "SMS_100002"


def test_each_request_carries_a_new_nonce(db, aliyun_settings, gateway):
    _send()
    _send()

    assert gateway.requests[0]["SignatureNonce"] != gateway.requests[1]["SignatureNonce"]


def test_an_international_number_is_sent_without_its_plus(db, aliyun_settings, gateway):
    sms_send(phone="+852 6123 4567", text=TEXT, purpose="activation", template_params=PARAMS)

    assert gateway.requests[0]["PhoneNumbers"] == "85261234567"


def test_gateway_refusal_is_recorded_failed_with_its_code(db, aliyun_settings, gateway):
    gateway.answer(
        {
            "Code": "isv.BUSINESS_LIMIT_CONTROL",
            "Message": "触发分钟级流控Permits:1",
            "RequestId": "F655A8D5-B967-440B-8683-DAD6FF8DE990",
        }
    )

    message = _send()

    assert message.status == SmsMessage.Status.FAILED
    assert message.gateway_reference == ""
    assert message.error == (
        "Aliyun refused: isv.BUSINESS_LIMIT_CONTROL: 触发分钟级流控Permits:1 "
        "(RequestId F655A8D5-B967-440B-8683-DAD6FF8DE990)"
    )


def test_a_wrong_secret_is_refused_by_the_gateways_signature_check(db, aliyun_settings, gateway):
    aliyun_settings.SMS_ALIYUN_ACCESS_KEY_SECRET = "not-the-secret"

    message = _send()

    assert message.status == SmsMessage.Status.FAILED
    assert message.error.startswith("Aliyun refused (HTTP 400): SignatureDoesNotMatch")


def test_a_gateway_that_does_not_answer_in_time_is_recorded_failed(db, aliyun_settings, gateway):
    aliyun_settings.SMS_ALIYUN_TIMEOUT = 0.3
    gateway.hang.set()

    started = time.monotonic()
    message = _send()

    assert time.monotonic() - started < 2
    assert message.status == SmsMessage.Status.FAILED
    assert message.error == "Aliyun did not answer within 0.3 s"


def test_an_answer_that_is_not_json_is_recorded_failed(db, aliyun_settings, gateway):
    gateway.answer(b"<html>upstream maintenance</html>")

    message = _send()

    assert message.status == SmsMessage.Status.FAILED
    assert message.error == "Aliyun answered something that is not JSON"


def test_an_http_error_without_a_code_is_recorded_failed(db, aliyun_settings, gateway):
    gateway.answer(b"<html>Bad Gateway</html>", status=502)

    message = _send()

    assert message.status == SmsMessage.Status.FAILED
    assert message.error == "Aliyun answered HTTP 502"


def test_an_ok_without_biz_id_is_recorded_failed(db, aliyun_settings, gateway):
    gateway.answer({"Code": "OK", "Message": "OK"})

    message = _send()

    assert message.status == SmsMessage.Status.FAILED
    assert message.error == "Aliyun answered OK without a BizId: OK: OK"


def test_an_unreachable_gateway_is_recorded_failed(db, aliyun_settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    aliyun_settings.SMS_ALIYUN_ENDPOINT = f"http://127.0.0.1:{port}/"

    message = _send()

    assert message.status == SmsMessage.Status.FAILED
    assert message.error.startswith("Aliyun unreachable: ")


@pytest.mark.parametrize(
    "name", ["SMS_ALIYUN_ACCESS_KEY_ID", "SMS_ALIYUN_ACCESS_KEY_SECRET", "SMS_ALIYUN_SIGN_NAME"]
)
def test_missing_configuration_fails_without_calling_the_gateway(
    name, db, aliyun_settings, gateway
):
    setattr(aliyun_settings, name, "")

    message = _send()

    assert message.status == SmsMessage.Status.FAILED
    assert message.error == f"Aliyun SMS is not configured: {name} not set"
    assert gateway.requests == []


def test_a_purpose_without_template_fails_without_calling_the_gateway(db, aliyun_settings, gateway):
    aliyun_settings.SMS_ALIYUN_TEMPLATES = {"activation": "SMS_100001"}

    message = _send(SmsMessage.Purpose.PASSWORD_RESET)

    assert message.status == SmsMessage.Status.FAILED
    assert (
        message.error == "Aliyun SMS is not configured: no SMS_ALIYUN_TEMPLATES['password_reset']"
    )
    assert gateway.requests == []


def test_a_plain_http_endpoint_off_this_machine_is_refused(db, aliyun_settings, gateway):
    aliyun_settings.SMS_ALIYUN_ENDPOINT = "http://dysmsapi.aliyuncs.com/"

    message = _send()

    assert message.status == SmsMessage.Status.FAILED
    assert message.error == "SMS_ALIYUN_ENDPOINT must be an https:// URL"


@pytest.mark.parametrize("outcome", ["sent", "refused", "refused quoting the code", "timeout"])
def test_text_and_code_reach_neither_the_record_nor_the_log(
    outcome, db, aliyun_settings, gateway, caplog
):
    caplog.set_level(logging.DEBUG)
    if outcome == "refused":
        gateway.answer({"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号"})
    elif outcome == "refused quoting the code":
        gateway.answer(
            {"Code": "isv.INVALID_PARAMETERS", "Message": f"参数异常 code={CODE} 王 芳*"}
        )
    elif outcome == "timeout":
        aliyun_settings.SMS_ALIYUN_TIMEOUT = 0.3
        gateway.hang.set()

    message = _send()

    assert message.status == ("sent" if outcome == "sent" else "failed")
    recorded = json.dumps(model_to_dict(SmsMessage.objects.get()), default=str, ensure_ascii=False)
    for secret in (CODE, TEXT, "王 芳*"):
        assert secret not in recorded
        assert secret not in caplog.text
    if outcome == "refused quoting the code":
        assert message.error == "Aliyun refused: isv.INVALID_PARAMETERS: 参数异常 code=*** ***"


def test_console_backend_prints_the_text(db, settings, capsys):
    settings.SMS_BACKEND = "accounts.sms.backends.console.SmsBackend"

    message = _send()

    out = capsys.readouterr().out
    assert out == f"----- SMS to 13800138000 (activation) -----\n{TEXT}\n{'-' * 40}\n"
    assert message.status == SmsMessage.Status.SENT
    assert message.gateway_reference == ""


def test_file_backend_writes_one_file_per_message(db, settings, tmp_path):
    settings.SMS_BACKEND = "accounts.sms.backends.filebased.SmsBackend"
    settings.SMS_FILE_PATH = tmp_path / "sms"

    message = _send()

    (written,) = (tmp_path / "sms").iterdir()
    assert written.read_text(encoding="utf-8") == (
        f"To: 13800138000\nPurpose: activation\n\n{TEXT}\n"
    )
    assert written.name.endswith(f"-{message.gateway_reference}.txt")
    assert message.status == SmsMessage.Status.SENT


@pytest.fixture
def outbox():
    locmem.outbox.clear()
    yield locmem.outbox
    locmem.outbox.clear()


def test_locmem_backend_keeps_the_message_in_its_outbox(db, settings, outbox):
    settings.SMS_BACKEND = "accounts.sms.backends.locmem.SmsBackend"

    message = _send()

    assert outbox == [
        {"phone": "13800138000", "text": TEXT, "purpose": "activation", "params": PARAMS}
    ]
    assert message.gateway_reference == "locmem-1"
    assert message.status == SmsMessage.Status.SENT
