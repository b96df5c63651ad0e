import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certificates.verification import (
    public_keys_from_document,
    token_from_pdf,
    token_from_url,
    token_verify,
)

MESSAGES = {
    "tampered": "tampered: the certificate data does not match its signature (key {kid})",
    "unknown_key": "unknown key: no public key {kid} among the issuer's keys",
    "malformed": "malformed: this is not a certificate token",
}


class Command(BaseCommand):
    help = (
        "Check a certificate's signature offline, from its token, its verification URL or its "
        "PDF. Exit 0 when valid, 1 when tampered, signed by an unknown key or malformed."
    )

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("token", nargs="?")
        source.add_argument("--url", help="the verification URL, as a QR code carries it")
        source.add_argument("--pdf", type=Path, help="a certificate PDF")
        parser.add_argument(
            "--keys",
            type=Path,
            help="a saved /.well-known/certificate-keys.json to check against, instead of "
            "CERTIFICATE_KEY_DIR",
        )

    def handle(self, *args, token=None, url=None, pdf=None, keys=None, **options):
        if url is not None:
            token = token_from_url(url)
            if token is None:
                raise CommandError("malformed: the URL carries no certificate token (?t=)")
        elif pdf is not None:
            token = token_from_pdf(pdf.read_bytes())
            if token is None:
                raise CommandError(f"malformed: no certificate token in {pdf}")
        public_keys = None
        if keys is not None:
            public_keys = public_keys_from_document(json.loads(keys.read_text(encoding="utf-8")))
        result = token_verify(token, public_keys=public_keys)
        if not result.is_valid:
            raise CommandError(MESSAGES[result.status].format(kid=result.kid), returncode=1)
        self.stdout.write(f"valid (key {result.kid})")
        self.stdout.write(json.dumps(result.payload, ensure_ascii=False, indent=2, sort_keys=True))
