"""Blobs and uploads (PROTOCOL.md, Blobs)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi import Path as FastApiPath
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse

from desktop.domain.values import utcnow
from sync.schemas import UploadComplete, UploadCreated, UploadExists, UploadOffset, UploadRequest
from sync.server.blobs import (
    checked_sha256,
    complete_upload,
    parse_range,
    put_chunk,
    readable_blob,
    start_upload,
    upload_offset,
)
from sync.server.deps import Caller, State
from sync.server.errors import error_responses, not_found, refuse_nul

router = APIRouter(prefix="/v1")

_BYTES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The whole file",
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    },
    206: {
        "description": "The range asked for",
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    },
}
# Documented, not validated by FastAPI: a bad name is answered 400 invalid_sha256 by the route.
Sha256Path = Annotated[
    str,
    FastApiPath(
        description="The blob's SHA-256: 64 hex digits",
        json_schema_extra={"pattern": "^[0-9a-f]{64}$"},
    ),
]
UploadIdPath = Annotated[
    str,
    FastApiPath(
        description="The id POST /v1/uploads gave",
        json_schema_extra={"pattern": "^[0-9a-f]{32}$"},
    ),
]


@router.head(
    "/blobs/{sha256}",
    responses={
        200: {"description": "The blob is there and readable"},
        **error_responses(400, 401, 404),
    },
)
def head_blob(sha256: Sha256Path, state: State, user: Caller) -> Response:
    info = readable_blob(state.db, state.store, user, checked_sha256(sha256))
    return Response(
        status_code=200,
        headers={"Content-Length": str(info.size), "Accept-Ranges": "bytes"},
        media_type=info.mime,
    )


@router.get(
    "/blobs/{sha256}",
    response_class=StreamingResponse,
    responses={**_BYTES, **error_responses(400, 401, 404, 416)},
)
def get_blob(
    sha256: Sha256Path,
    state: State,
    user: Caller,
    range_header: Annotated[str | None, Header(alias="Range")] = None,
) -> StreamingResponse:
    info = readable_blob(state.db, state.store, user, checked_sha256(sha256))
    wanted = parse_range(range_header, info.size)
    headers = {"Accept-Ranges": "bytes", "ETag": f'"{info.sha256}"'}
    if wanted is None:
        start, end, status = 0, info.size - 1, 200
    else:
        start, end = wanted
        status = 206
        headers["Content-Range"] = f"bytes {start}-{end}/{info.size}"
    headers["Content-Length"] = str(max(0, end - start + 1))
    body = state.store.read_range(info.sha256, start, end) if end >= start else iter(())
    return StreamingResponse(body, status_code=status, headers=headers, media_type=info.mime)


@router.get(
    "/blobs/{sha256}/thumbnail",
    response_class=FileResponse,
    responses={
        200: {
            "description": "A JPEG or PNG at most 512 px on its long side",
            "content": {
                "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
                "image/png": {"schema": {"type": "string", "format": "binary"}},
            },
        },
        **error_responses(400, 401, 404),
    },
)
def get_thumbnail(sha256: Sha256Path, state: State, user: Caller) -> FileResponse:
    info = readable_blob(state.db, state.store, user, checked_sha256(sha256))
    made = state.store.thumbnail(info.sha256)
    if made is None:
        raise not_found("No thumbnail can be made of this file.")
    path, media = made
    return FileResponse(path, media_type=media, headers={"Cache-Control": "private, max-age=86400"})


@router.post(
    "/uploads",
    status_code=201,
    response_model=UploadCreated,
    responses={
        200: {"model": UploadExists, "description": "The server holds this file already"},
        **error_responses(400, 401, 413, 422),
    },
)
def post_upload(body: UploadRequest, state: State, user: Caller) -> Any:
    refuse_nul(filename=body.filename, mime=body.mime)
    upload_id = start_upload(
        state.db,
        state.store,
        state.settings,
        user,
        sha256=body.sha256,
        size=body.size,
        filename=body.filename,
        mime=body.mime,
        now=utcnow(),
    )
    if upload_id is None:
        return JSONResponse(UploadExists(exists=True).model_dump(), status_code=200)
    return UploadCreated(upload_id=upload_id, offset=0)


@router.put(
    "/uploads/{upload_id}",
    response_model=UploadOffset,
    responses=error_responses(400, 401, 404, 409, 413),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        }
    },
)
async def put_upload_chunk(
    upload_id: UploadIdPath,
    offset: Annotated[int, Query(ge=0)],
    request: Request,
    state: State,
    user: Caller,
) -> UploadOffset:
    chunk = await request.body()  # at most max_chunk_bytes: BodyLimitMiddleware
    new_offset = await run_in_threadpool(
        put_chunk,
        state.db,
        state.store,
        user,
        upload_id,
        offset=offset,
        chunk=chunk,
        now=utcnow(),
    )
    return UploadOffset(offset=new_offset)


@router.get(
    "/uploads/{upload_id}",
    response_model=UploadOffset,
    responses=error_responses(400, 401, 404),
)
def get_upload(upload_id: UploadIdPath, state: State, user: Caller) -> UploadOffset:
    return UploadOffset(offset=upload_offset(state.db, user, upload_id))


@router.post(
    "/uploads/{upload_id}/complete",
    status_code=201,
    response_model=UploadComplete,
    responses=error_responses(400, 401, 404, 409, 422),
)
def post_upload_complete(upload_id: UploadIdPath, state: State, user: Caller) -> UploadComplete:
    sha = complete_upload(state.db, state.store, user, upload_id, now=utcnow())
    return UploadComplete(sha256=sha)
