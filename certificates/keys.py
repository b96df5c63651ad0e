"""
The issuer's Ed25519 keys, kept as files in settings.CERTIFICATE_KEY_DIR: one PEM private key per
key id (mode 0600) and index.json, the key ids with their created and retired dates.

The newest key that is not retired signs. Retired keys are never deleted: their public keys stay
published, so every certificate ever issued stays verifiable.
"""

import datetime
import fcntl
import json
import logging
import os
import re
import secrets
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

logger = logging.getLogger(__name__)

INDEX_NAME = "index.json"
KID_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True)
class KeyRecord:
    kid: str
    created: datetime.date
    retired: datetime.date | None

    def as_json(self) -> dict:
        return {
            "kid": self.kid,
            "created": self.created.isoformat(),
            "retired": self.retired.isoformat() if self.retired else None,
        }


@dataclass(frozen=True)
class _Loaded:
    records: tuple[KeyRecord, ...]
    private_keys: dict[str, Ed25519PrivateKey]


# Keyed by directory; each entry remembers the index file's identity so a rotation made by
# another process (a new index.json replaces the old one) is seen on the next call.
_cache: dict[str, tuple[tuple, _Loaded]] = {}


class KeyStore:
    def __init__(self, directory: Path | str):
        self.directory = Path(directory)

    @property
    def index_path(self) -> Path:
        return self.directory / INDEX_NAME

    def _now(self) -> datetime.date:
        return timezone.localdate()

    def _load(self) -> _Loaded:
        try:
            stat = self.index_path.stat()
        except FileNotFoundError:
            return _Loaded(records=(), private_keys={})
        stamp = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        cached = _cache.get(str(self.directory))
        if cached and cached[0] == stamp:
            return cached[1]
        index = json.loads(self.index_path.read_text(encoding="utf-8"))
        records = []
        private_keys = {}
        for entry in index["keys"]:
            kid = entry["kid"]
            if not KID_RE.match(kid):
                raise ValueError(f"Invalid key id {kid!r} in {self.index_path}")
            records.append(
                KeyRecord(
                    kid=kid,
                    created=datetime.date.fromisoformat(entry["created"]),
                    retired=(
                        datetime.date.fromisoformat(entry["retired"]) if entry["retired"] else None
                    ),
                )
            )
            key = serialization.load_pem_private_key(
                (self.directory / f"{kid}.pem").read_bytes(), password=None
            )
            if not isinstance(key, Ed25519PrivateKey):
                raise ValueError(f"{kid}.pem in {self.directory} is not an Ed25519 key")
            private_keys[kid] = key
        loaded = _Loaded(records=tuple(records), private_keys=private_keys)
        _cache[str(self.directory)] = (stamp, loaded)
        return loaded

    def records(self) -> tuple[KeyRecord, ...]:
        """Return every key, oldest first."""
        return self._load().records

    def current(self) -> KeyRecord | None:
        """Return the key that signs: the newest one not retired, or None."""
        live = [record for record in self.records() if record.retired is None]
        return live[-1] if live else None

    def private_key(self, kid: str) -> Ed25519PrivateKey:
        return self._load().private_keys[kid]

    def public_keys(self) -> dict[str, Ed25519PublicKey]:
        """Return the public key of every key, retired ones included, by key id."""
        return {kid: key.public_key() for kid, key in self._load().private_keys.items()}

    @contextmanager
    def _locked(self):
        # Two workers signing their first certificate at once must not each create a key.
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        with open(self.directory / ".lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _write_index(self, records) -> None:
        tmp = self.directory / f".{INDEX_NAME}.{os.getpid()}.tmp"
        tmp.write_text(
            json.dumps({"keys": [record.as_json() for record in records]}, indent=2) + "\n",
            encoding="utf-8",
        )
        os.replace(tmp, self.index_path)

    def _new_key(self) -> KeyRecord:
        today = self._now()
        record = KeyRecord(
            kid=f"{today:%Y%m%d}-{secrets.token_hex(4)}", created=today, retired=None
        )
        pem = Ed25519PrivateKey.generate().private_bytes(
            encoding=serialization.Encoding.PEM,
            format=serialization.PrivateFormat.PKCS8,
            encryption_algorithm=serialization.NoEncryption(),
        )
        fd = os.open(
            self.directory / f"{record.kid}.pem", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600
        )
        with os.fdopen(fd, "wb") as file:
            file.write(pem)
        return record

    def generate(self) -> tuple[KeyRecord, bool]:
        """
        Return the signing key, creating one if there is none, and whether it was created.
        """
        with self._locked():
            current = self.current()
            if current is not None:
                return current, False
            record = self._new_key()
            self._write_index([*self.records(), record])
            return record, True

    def rotate(self) -> KeyRecord:
        """
        Create a new signing key and retire the keys that signed before it. Retired keys are
        kept and stay published, so the certificates they signed stay verifiable.
        """
        with self._locked():
            today = self._now()
            record = self._new_key()
            retired = [
                KeyRecord(kid=old.kid, created=old.created, retired=old.retired or today)
                for old in self.records()
            ]
            self._write_index([*retired, record])
            return record

    def signing_key(self) -> tuple[str, Ed25519PrivateKey]:
        """
        Return the current key id and private key. Create the first key when
        settings.CERTIFICATE_KEY_AUTOGENERATE allows it.
        """
        current = self.current()
        if current is None:
            if not settings.CERTIFICATE_KEY_AUTOGENERATE:
                raise ImproperlyConfigured(
                    f"No certificate signing key in {self.directory}: "
                    "run `manage.py certificate_keys generate`."
                )
            current, created = self.generate()
            if created:
                logger.warning(
                    "Generated certificate signing key %s in %s", current.kid, self.directory
                )
        return current.kid, self.private_key(current.kid)


def key_store() -> KeyStore:
    """Return the key store of settings.CERTIFICATE_KEY_DIR."""
    return KeyStore(settings.CERTIFICATE_KEY_DIR)
