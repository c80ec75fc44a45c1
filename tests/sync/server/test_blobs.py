"""Uploads (resumable, verified by SHA-256), ranged downloads, thumbnails and limits."""

from __future__ import annotations

import io
import os
from collections.abc import Callable

from PIL import Image

from tests.conftest import LiveServer
from tests.sync.server.conftest import World
from tests.sync.server.helpers import PASSWORD, png_bytes, sha, upload


def _start(client, data: bytes) -> str:  # type: ignore[no-untyped-def]
    answer = client.post(
        "/v1/uploads", json={"sha256": sha(data), "size": len(data), "filename": "a.bin"}
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["offset"] == 0
    return str(answer.json()["upload_id"])


def _put(client, upload_id: str, offset: int, chunk: bytes):  # type: ignore[no-untyped-def]
    return client.put(f"/v1/uploads/{upload_id}", params={"offset": offset}, content=chunk)


def test_resumable_upload_and_ranged_download(world: World) -> None:
    client = world.conductor
    data = os.urandom(300_000)
    upload_id = _start(client, data)
    assert _put(client, upload_id, 0, data[:100_000]).json() == {"offset": 100_000}
    # A crash: the client asks where it stopped, a wrong offset is refused with the real one.
    assert client.get(f"/v1/uploads/{upload_id}").json() == {"offset": 100_000}
    wrong = _put(client, upload_id, 50_000, data[50_000:150_000])
    assert wrong.status_code == 409
    assert wrong.json()["error"] == {
        "code": "offset_mismatch",
        "message": wrong.json()["error"]["message"],
        "details": {"offset": 100_000},
    }
    # Completing early is refused and the upload kept.
    early = client.post(f"/v1/uploads/{upload_id}/complete")
    assert early.status_code == 409 and early.json()["error"]["details"] == {"offset": 100_000}
    assert _put(client, upload_id, 100_000, data[100_000:]).json() == {"offset": 300_000}
    done = client.post(f"/v1/uploads/{upload_id}/complete")
    assert done.status_code == 201 and done.json() == {"sha256": sha(data)}
    assert client.get(f"/v1/uploads/{upload_id}").status_code == 404

    path = f"/v1/blobs/{sha(data)}"
    head = client.head(path)
    assert head.status_code == 200 and head.headers["content-length"] == str(len(data))
    assert client.get(path).content == data
    part = client.get(path, headers={"Range": "bytes=123456-"})
    assert part.status_code == 206
    assert part.headers["content-range"] == f"bytes 123456-{len(data) - 1}/{len(data)}"
    assert part.content == data[123456:]
    middle = client.get(path, headers={"Range": "bytes=10-19"})
    assert middle.status_code == 206 and middle.content == data[10:20]
    beyond = client.get(path, headers={"Range": f"bytes={len(data)}-"})
    assert beyond.status_code == 416 and beyond.json()["error"]["code"] == "range_not_satisfiable"
    # Starting again for a file the server holds: it says so.
    again = client.post("/v1/uploads", json={"sha256": sha(data), "size": len(data)})
    assert again.status_code == 200 and again.json() == {"exists": True}


def test_hash_mismatch_discards_the_upload(world: World) -> None:
    client = world.conductor
    data = b"x" * 1000
    upload_id = client.post(
        "/v1/uploads", json={"sha256": sha(b"something else"), "size": 1000}
    ).json()["upload_id"]
    assert _put(client, upload_id, 0, data).status_code == 200
    answer = client.post(f"/v1/uploads/{upload_id}/complete")
    assert answer.status_code == 422 and answer.json()["error"]["code"] == "hash_mismatch"
    assert client.get(f"/v1/uploads/{upload_id}").status_code == 404
    assert client.head(f"/v1/blobs/{sha(b'something else')}").status_code == 404
    assert list((world.server.blob_dir / "uploads").iterdir()) == []


def test_uploads_belong_to_their_uploader(world: World) -> None:
    upload_id = _start(world.lead_de, b"hello world")
    assert world.lead_fr.get(f"/v1/uploads/{upload_id}").status_code == 404
    assert _put(world.lead_fr, upload_id, 0, b"hello").status_code == 404
    assert world.lead_fr.post(f"/v1/uploads/{upload_id}/complete").status_code == 404
    assert world.lead_de.get("/v1/uploads/not-an-id").status_code == 404


def test_chunk_past_declared_size_is_413(world: World) -> None:
    upload_id = _start(world.conductor, b"12345")
    answer = _put(world.conductor, upload_id, 0, b"123456")
    assert answer.status_code == 413 and answer.json()["error"]["code"] == "too_large"


def test_limits_are_413(live_server: Callable[..., LiveServer]) -> None:
    server = live_server(max_chunk_bytes=1024, max_blob_bytes=4096)
    server.add_user("c", PASSWORD, "conductor")
    with server.client("c", PASSWORD) as client:
        big = client.post("/v1/uploads", json={"sha256": "a" * 64, "size": 4097})
        assert big.status_code == 413 and big.json()["error"]["code"] == "too_large"
        over_protocol = client.post("/v1/uploads", json={"sha256": "a" * 64, "size": 2**31 + 1})
        assert over_protocol.status_code == 413
        upload_id = _start(client, b"z" * 2000)
        chunk = _put(client, upload_id, 0, b"z" * 1025)
        assert chunk.status_code == 413 and chunk.json()["error"]["code"] == "too_large"
        streamed = client.put(
            f"/v1/uploads/{upload_id}", params={"offset": 0}, content=iter([b"z" * 1025])
        )
        assert streamed.status_code == 413
        assert client.get(f"/v1/uploads/{upload_id}").json() == {"offset": 0}


def test_thumbnails(world: World) -> None:
    client = world.conductor
    big = png_bytes(2000, 1000)
    digest = upload(client, big)
    answer = client.get(f"/v1/blobs/{digest}/thumbnail")
    assert answer.status_code == 200 and answer.headers["content-type"] == "image/jpeg"
    thumb = Image.open(io.BytesIO(answer.content))
    assert thumb.size == (512, 256)
    cached = client.get(f"/v1/blobs/{digest}/thumbnail")
    assert cached.content == answer.content
    rgba = io.BytesIO()
    Image.new("RGBA", (100, 700), (0, 0, 0, 0)).save(rgba, "PNG")
    alpha = client.get(f"/v1/blobs/{upload(client, rgba.getvalue())}/thumbnail")
    assert alpha.headers["content-type"] == "image/png"
    assert max(Image.open(io.BytesIO(alpha.content)).size) <= 512
    text = upload(client, b"just some text, not an image", mime="text/plain")
    assert client.get(f"/v1/blobs/{text}/thumbnail").status_code == 404


def test_blob_names_are_validated_hex(world: World) -> None:
    client = world.conductor
    for bad in ("abc", "g" * 64, "..%2F..%2Fetc%2Fpasswd", "a" * 65):
        for method in ("GET", "HEAD"):
            answer = client.request(method, f"/v1/blobs/{bad}")
            assert answer.status_code in (400, 404), (bad, answer.status_code)
            if method == "GET":
                assert answer.headers["content-type"] == "application/json"
    answer = client.get("/v1/blobs/" + "g" * 64)
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "invalid_sha256"
    assert client.get("/v1/blobs/" + "a" * 64).status_code == 404
    upper = upload(client, b"upper case lookup")
    assert client.head("/v1/blobs/" + upper.upper()).status_code == 200
