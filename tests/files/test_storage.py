"""Issue 10, item 6: uploads behind a storage interface; the S3-compatible backend (boto3) checked with
botocore's Stubber (the exact S3 calls and parameters, no network), the local one by the rest of the suite."""

import hashlib
import io

import boto3
import pytest
from botocore.response import StreamingBody
from botocore.stub import Stubber

from app.files.storage import LocalStorage, S3Storage, make_storage

CONTENT = b"%PDF-1.7 stand-in bytes"
SHA = hashlib.sha256(CONTENT).hexdigest()
KEY = f"files/{SHA[:2]}/{SHA}"


@pytest.fixture
def s3(tmp_path):
    client = boto3.client("s3", region_name="cn-north-1", aws_access_key_id="test", aws_secret_access_key="test")
    with Stubber(client) as stub:
        yield S3Storage(client, "memberflow", "files/", tmp_path / "cache"), stub
        stub.assert_no_pending_responses()


def body(content: bytes) -> StreamingBody:
    return StreamingBody(io.BytesIO(content), len(content))


def test_s3_writes_an_object_once_under_its_hash(s3):
    storage, stub = s3
    stub.add_client_error("head_object", "404", expected_params={"Bucket": "memberflow", "Key": KEY})
    stub.add_response("put_object", {}, {"Bucket": "memberflow", "Key": KEY, "Body": CONTENT})
    storage.put(SHA, CONTENT)
    stub.add_response("head_object", {}, {"Bucket": "memberflow", "Key": KEY})
    storage.put(SHA, CONTENT)  # there already: no second put_object


def test_s3_reads_through_a_local_cache_and_refuses_bytes_that_are_not_the_file(s3):
    storage, stub = s3
    stub.add_response("get_object", {"Body": body(CONTENT)}, {"Bucket": "memberflow", "Key": KEY})
    path = storage.local_path(SHA)
    assert path.read_bytes() == CONTENT
    assert storage.local_path(SHA) == path  # cached: no second get_object (the Stubber would refuse it)

    other = hashlib.sha256(b"other").hexdigest()
    stub.add_response(
        "get_object", {"Body": body(b"tampered")}, {"Bucket": "memberflow", "Key": f"files/{other[:2]}/{other}"}
    )
    with pytest.raises(FileNotFoundError, match="does not match"):
        storage.local_path(other)


def test_s3_missing_object_is_file_not_found(s3):
    storage, stub = s3
    stub.add_client_error("get_object", "NoSuchKey", http_status_code=404)
    with pytest.raises(FileNotFoundError):
        storage.local_path(SHA)
    stub.add_client_error("head_object", "404")
    assert not storage.exists(SHA)


def test_the_settings_choose_the_backend(tmp_path, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    base = {
        "MEMBERFLOW_STORAGE_DIR": str(tmp_path),
        "MEMBERFLOW_S3_BUCKET": "",
        "MEMBERFLOW_S3_PREFIX": "files/",
        "MEMBERFLOW_S3_ENDPOINT_URL": "http://minio.internal:9000",
        "MEMBERFLOW_S3_REGION": "us-east-1",
    }
    assert isinstance(make_storage({**base, "MEMBERFLOW_STORAGE_BACKEND": "local"}), LocalStorage)
    with pytest.raises(RuntimeError, match="MEMBERFLOW_S3_BUCKET"):
        make_storage({**base, "MEMBERFLOW_STORAGE_BACKEND": "s3"})
    s3 = make_storage({**base, "MEMBERFLOW_STORAGE_BACKEND": "s3", "MEMBERFLOW_S3_BUCKET": "mf"})
    assert isinstance(s3, S3Storage) and s3.client.meta.endpoint_url == "http://minio.internal:9000"
    with pytest.raises(RuntimeError, match="unknown"):
        make_storage({**base, "MEMBERFLOW_STORAGE_BACKEND": "ftp"})


def test_local_storage_keeps_todays_layout(tmp_path):
    local = LocalStorage(tmp_path)
    local.put(SHA, CONTENT)
    assert (tmp_path / SHA[:2] / SHA).read_bytes() == CONTENT and local.exists(SHA)
