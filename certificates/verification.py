"""
Signed certificate payloads: what the issuer signs, the compact token a QR code and a PDF carry,
and the offline check of a token against the issuer's public keys.

A token is "<base64url(canonical payload)>.<base64url(Ed25519 signature)>", unpadded. The payload
names the key that signed it ("kid"), so keys can rotate while old certificates stay verifiable.
"""

import base64
import binascii
import json
import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qs, urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings

from .keys import key_store

PDF_KEYWORD_PREFIX = "lms-cert:"
_B64URL_RE = re.compile(r"^[A-Za-z0-9_-]+$")
_TOKEN_IN_TEXT_RE = re.compile(re.escape(PDF_KEYWORD_PREFIX) + r"([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)")
_PDF_KEYWORDS_RE = re.compile(rb"/Keywords\s*([(<])")
_PDF_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}

Status = Literal["valid", "tampered", "unknown_key", "malformed"]


@dataclass(frozen=True)
class Verification:
    """
    The outcome of checking a token. The payload is given only when the status is "valid";
    kid is the key id the token claims, when it could be read.
    """

    status: Status
    payload: dict | None = None
    kid: str | None = None

    @property
    def is_valid(self) -> bool:
        return self.status == "valid"


def canonical_bytes(payload: dict) -> bytes:
    """Return the one byte string that stands for a payload, whatever its key order."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    # urlsafe_b64decode() skips characters outside the alphabet; a token must not.
    if not _B64URL_RE.match(text):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def payload_sign(payload: dict) -> str:
    """
    Return the token of a payload (a dict of strings), signed with the current key, whose id is
    added to the payload as "kid".
    """
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in payload.items()):
        raise TypeError("A certificate payload maps strings to strings")
    kid, private_key = key_store().signing_key()
    body = canonical_bytes({**payload, "kid": kid})
    return f"{_b64encode(body)}.{_b64encode(private_key.sign(body))}"


def token_verify(
    token: str, *, public_keys: dict[str, Ed25519PublicKey] | None = None
) -> Verification:
    """
    Check a token against the issuer's public keys (retired ones included), or against
    `public_keys` by key id, such as those of a downloaded public keys document.
    """
    try:
        body_b64, signature_b64 = token.strip().split(".")
        body = _b64decode(body_b64)
        signature = _b64decode(signature_b64)
    except (AttributeError, ValueError, binascii.Error):
        return Verification(status="malformed")
    if len(signature) != 64:
        return Verification(status="malformed")
    try:
        payload = json.loads(body.decode("utf-8"))
    except ValueError:
        # A token of the right shape whose payload no longer reads: a character was changed.
        return Verification(status="tampered")
    if not isinstance(payload, dict) or not isinstance(payload.get("kid"), str):
        return Verification(status="malformed")
    kid = payload["kid"]
    if public_keys is None:
        public_keys = key_store().public_keys()
    public_key = public_keys.get(kid)
    if public_key is None:
        return Verification(status="unknown_key", kid=kid)
    try:
        public_key.verify(signature, body)
    except InvalidSignature:
        return Verification(status="tampered", kid=kid)
    return Verification(status="valid", payload=payload, kid=kid)


def public_keys_document() -> dict:
    """
    Return the document published at /.well-known/certificate-keys.json: every key the issuer
    has signed with, retired ones included, oldest first.
    """
    store = key_store()
    public_keys = store.public_keys()
    return {
        "keys": [
            {
                "kid": record.kid,
                "alg": "Ed25519",
                "public_key": _b64encode(
                    public_keys[record.kid].public_bytes(
                        encoding=serialization.Encoding.Raw,
                        format=serialization.PublicFormat.Raw,
                    )
                ),
                "created": record.created.isoformat(),
                "retired": record.retired.isoformat() if record.retired else None,
            }
            for record in store.records()
        ]
    }


def public_keys_from_document(document: dict) -> dict[str, Ed25519PublicKey]:
    """Return the public keys of a public keys document by key id, for token_verify()."""
    return {
        entry["kid"]: Ed25519PublicKey.from_public_bytes(_b64decode(entry["public_key"]))
        for entry in document["keys"]
        if entry.get("alg") == "Ed25519"
    }


def verification_url(code: str, token: str) -> str:
    """Return the address a certificate's QR code carries."""
    return f"{settings.CERTIFICATE_VERIFY_BASE_URL}/verify/{code}/?t={token}"


def token_from_url(url: str) -> str | None:
    """Return the token of a verification URL, or None when it carries none."""
    values = parse_qs(urlsplit(url.strip()).query).get("t")
    return values[0] if values else None


def _pdf_literal(data: bytes, start: int) -> bytes:
    """Return the value of the PDF literal string whose "(" is at `start`, unescaped."""
    out = bytearray()
    depth = 0
    i = start + 1
    while i < len(data):
        char = data[i : i + 1]
        if char == b"\\":
            following = data[i + 1 : i + 2]
            octal = re.match(rb"[0-7]{1,3}", data[i + 1 : i + 4])
            if octal:
                out.append(int(octal.group(), 8) & 0xFF)
                i += 1 + len(octal.group())
                continue
            if following in (b"\r", b"\n"):  # a line continuation
                i += 2
                if following == b"\r" and data[i : i + 1] == b"\n":
                    i += 1
                continue
            out += _PDF_ESCAPES.get(following, following)
            i += 2
            continue
        if char == b"(":  # balanced parentheses may stand unescaped
            depth += 1
        elif char == b")":
            if depth == 0:
                break
            depth -= 1
        out += char
        i += 1
    return bytes(out)


def _pdf_text(raw: bytes) -> str:
    # reportlab writes text with characters beyond Latin-1 as UTF-16BE behind a byte order mark.
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", errors="replace")
    return raw.decode("latin-1")


def token_from_pdf(pdf_bytes: bytes) -> str | None:
    """
    Return the token a certificate PDF carries in its Keywords as "lms-cert:<token>", or None.
    reportlab writes the document information uncompressed, so the raw bytes are searched.
    """
    for match in _PDF_KEYWORDS_RE.finditer(pdf_bytes):
        if match.group(1) == b"(":
            raw = _pdf_literal(pdf_bytes, match.start(1))
        else:
            end = pdf_bytes.find(b">", match.end(1))
            digits = re.sub(rb"\s", b"", pdf_bytes[match.end(1) : end])
            try:
                # A final odd digit stands for its high half: "7" is 0x70.
                raw = binascii.unhexlify(digits + b"0" * (len(digits) % 2))
            except binascii.Error:
                continue
        found = _TOKEN_IN_TEXT_RE.search(_pdf_text(raw))
        if found:
            return found.group(1)
    # Another writer may have kept the keywords only in XMP metadata, as plain text.
    found = _TOKEN_IN_TEXT_RE.search(pdf_bytes.decode("latin-1"))
    return found.group(1) if found else None
