"""Where uploaded bytes live, behind one small interface: a local directory (one host, or a shared mount)
or an S3-compatible object store (several hosts: AWS S3, MinIO, Ceph, Aliyun OSS, …) through boto3.

Content is addressed by its SHA-256, so a stored object never changes: writing is "once", and a local
copy of an object (what send_file and the PDF renderer read) can be cached forever without going stale.
"""

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any, Protocol

import boto3
from botocore.exceptions import ClientError
from flask import current_app


class Storage(Protocol):
    def put(self, sha256: str, content: bytes) -> None:
        """Store the content under its hash; nothing happens when it is there already."""

    def exists(self, sha256: str) -> bool: ...

    def local_path(self, sha256: str) -> Path:
        """A local file with the content (FileNotFoundError when the store has none)."""


def _write_atomically(path: Path, content: bytes) -> None:
    """Temp file + fsync + rename: a reader never sees half a file, a crash leaves no partial object."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as temp:
            temp.write(content)
            temp.flush()
            os.fsync(temp.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


class LocalStorage:
    """`<root>/<first two hex digits>/<sha256>`: today's layout, readable by `ls` and rsync."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def put(self, sha256: str, content: bytes) -> None:
        if not self.path(sha256).exists():
            _write_atomically(self.path(sha256), content)

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).exists()

    def local_path(self, sha256: str) -> Path:
        return self.path(sha256)


class S3Storage:
    """Objects `<prefix><first two hex digits>/<sha256>` in one bucket; a local read-through cache of copies."""

    def __init__(self, client: Any, bucket: str, prefix: str, cache: Path) -> None:
        self.client, self.bucket, self.prefix, self.cache = client, bucket, prefix, LocalStorage(cache)

    def key(self, sha256: str) -> str:
        return f"{self.prefix}{sha256[:2]}/{sha256}"

    def put(self, sha256: str, content: bytes) -> None:
        if not self.exists(sha256):
            self.client.put_object(Bucket=self.bucket, Key=self.key(sha256), Body=content)

    def exists(self, sha256: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self.key(sha256))
        except ClientError as err:
            if err.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def local_path(self, sha256: str) -> Path:
        if not self.cache.exists(sha256):
            try:
                body = self.client.get_object(Bucket=self.bucket, Key=self.key(sha256))["Body"].read()
            except ClientError as err:
                raise FileNotFoundError(self.key(sha256)) from err
            if hashlib.sha256(body).hexdigest() != sha256:  # never cache (and serve) bytes that are not the file
                raise FileNotFoundError(f"{self.key(sha256)}: content does not match its hash")
            self.cache.put(sha256, body)
        return self.cache.local_path(sha256)


def make_storage(config: dict[str, Any]) -> Storage:
    """The backend the settings choose (README: Settings, MEMBERFLOW_STORAGE_BACKEND)."""
    backend = config["MEMBERFLOW_STORAGE_BACKEND"]
    root = Path(config["MEMBERFLOW_STORAGE_DIR"])
    if backend == "local":
        return LocalStorage(root)
    if backend == "s3":
        if not config["MEMBERFLOW_S3_BUCKET"]:
            raise RuntimeError("MEMBERFLOW_STORAGE_BACKEND=s3 needs MEMBERFLOW_S3_BUCKET")
        client = boto3.client(
            "s3", endpoint_url=config["MEMBERFLOW_S3_ENDPOINT_URL"], region_name=config["MEMBERFLOW_S3_REGION"]
        )
        # with s3 the storage directory only caches copies: it may be emptied at any time, and is not backed up
        return S3Storage(client, config["MEMBERFLOW_S3_BUCKET"], config["MEMBERFLOW_S3_PREFIX"], root)
    raise RuntimeError(f"unknown MEMBERFLOW_STORAGE_BACKEND {backend!r} (local or s3)")


def storage() -> Storage:
    """This app's storage, made once (a boto3 client is reusable and thread-safe)."""
    found: Storage | None = current_app.extensions.get("memberflow.storage")
    if found is None:
        found = current_app.extensions["memberflow.storage"] = make_storage(current_app.config)
    return found
