"""The central endpoint over HTTP: one ``requests.Session`` with retries, typed errors, and every
answer checked against the protocol's schemas before anything is applied.

Threading contract: one ``ServerApi`` per sync run, used from the thread running that sync.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from types import TracebackType
from typing import Any, Self, TypeVar

import requests
from pydantic import BaseModel, ValidationError
from requests.adapters import HTTPAdapter
from urllib3 import BaseHTTPResponse
from urllib3.connectionpool import ConnectionPool
from urllib3.exceptions import InvalidHeader, MaxRetryError, ResponseError
from urllib3.util.retry import Retry

from sync.schemas import (
    PULL_PAGE,
    ErrorResponse,
    Health,
    Me,
    PullPage,
    PushResponse,
    TokenResponse,
    UploadComplete,
    UploadCreated,
    UploadExists,
    UploadOffset,
)

T = TypeVar("T", bound=BaseModel)
USER_AGENT = "SectionDesk"


class SyncError(Exception):
    """Something stopped a sync; ``str()`` is a message for the lead, saying what to do."""


class Offline(SyncError):  # noqa: N818 - a state the app shows, not a program error
    """The server cannot be reached (no network, DNS, refused, timed out)."""


class AuthRequired(SyncError):  # noqa: N818
    """The token is missing, expired or revoked: sign in again (offline edits are kept)."""


class ResyncRequired(SyncError):  # noqa: N818
    """The server cannot continue from our cursor: pull again from the start."""


class ServerRefused(SyncError):  # noqa: N818
    """The server answered with a protocol error (4xx/5xx with a JSON error body)."""

    def __init__(self, status: int, code: str, message: str, details: dict[str, Any]) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.details = details


class BadAnswer(SyncError):  # noqa: N818
    """The server answered something that is not the protocol; nothing was applied."""


# The longest a server's Retry-After is waited out inside one call: longer, and the call gives the
# answer back so the lead hears when to try again (a sync must stay quick to cancel).
MAX_RETRY_AFTER = 30.0


class _Retry(Retry):
    """urllib3's retries, with a ``Retry-After`` over ``MAX_RETRY_AFTER`` ending the retries and an
    unreadable one counted as absent (the usual backoff applies)."""

    def get_retry_after(self, response: BaseHTTPResponse) -> float | None:
        try:
            return super().get_retry_after(response)
        except InvalidHeader:
            return None

    def increment(
        self,
        method: str | None = None,
        url: str | None = None,
        response: BaseHTTPResponse | None = None,
        error: Exception | None = None,
        _pool: ConnectionPool | None = None,
        _stacktrace: TracebackType | None = None,
    ) -> Self:
        if response is not None and response.status in self.RETRY_AFTER_STATUS_CODES:
            wait = self.get_retry_after(response)
            if wait is not None and wait > MAX_RETRY_AFTER:
                too_long = ResponseError("Retry-After too long")
                raise MaxRetryError(_pool, url or "", too_long)  # type: ignore[arg-type]
        return super().increment(method, url, response, error, _pool, _stacktrace)


def _retry_after(response: requests.Response) -> float | None:
    """The server's Retry-After in seconds (a number or an HTTP date), None when absent or bad."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return Retry().parse_retry_after(value)
    except InvalidHeader:
        return None


def _in_words(seconds: float) -> str:
    if seconds < 90:
        return f"{max(1, round(seconds))} seconds"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} minutes"
    return f"{round(seconds / 3600)} hours"


def _retrying_session(ca_bundle: str | None) -> requests.Session:
    session = requests.Session()
    retry = _Retry(
        total=4,
        connect=2,
        read=2,
        status=3,
        backoff_factor=0.5,
        backoff_max=8,
        status_forcelist=(429, 502, 503, 504),
        # Every call we make is idempotent, pushes included (replayed by batch id).
        allowed_methods=frozenset({"GET", "HEAD", "PUT", "POST", "DELETE"}),
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    adapter = HTTPAdapter(max_retries=retry, pool_connections=4, pool_maxsize=8)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    # TLS is always verified; a company hub may bring its own CA bundle.
    session.verify = ca_bundle or True
    return session


class ServerApi:
    """Typed calls to PROTOCOL.md's endpoints."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        ca_bundle: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = _retrying_session(ca_bundle)
        self.token = token
        self.last_server_time: str | None = None

    @property
    def token(self) -> str | None:
        return self._token

    @token.setter
    def token(self, value: str | None) -> None:
        self._token = value
        if value:
            self.session.headers["Authorization"] = f"Bearer {value}"
        else:
            self.session.headers.pop("Authorization", None)

    def close(self) -> None:
        self.session.close()

    # --- plumbing -----------------------------------------------------------------------------

    def _request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        try:
            response = self.session.request(method, f"{self.base_url}/v1{path}", **kwargs)
        except requests.exceptions.SSLError as exc:
            raise Offline(
                f"The server's certificate could not be verified ({exc.__class__.__name__}). "
                "Check the server address, or set your company's CA bundle in Settings."
            ) from exc
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise Offline(
                f"Cannot reach {self.base_url}. "
                "You can keep working; your changes sync when you are back online."
            ) from exc
        except requests.RequestException as exc:
            raise Offline(f"The connection to {self.base_url} failed: {exc}") from exc
        if response.status_code >= 400:
            self._raise_for(response)
        return response

    def _raise_for(self, response: requests.Response) -> None:
        status = response.status_code
        try:
            body = ErrorResponse.model_validate_json(response.content).error
            code, message, details = body.code, body.message, body.details
        except ValidationError:
            code, message, details = f"http_{status}", response.reason or "error", {}
        if status == 401:
            raise AuthRequired(
                "Your sign-in has expired. Sign in again; your offline edits are kept."
            )
        if status == 410 or code == "resync_required":
            raise ResyncRequired(message)
        if status == 429:
            wait = _retry_after(response)
            when = f"in about {_in_words(wait)}" if wait else "in a few minutes"
            raise ServerRefused(
                status,
                code,
                f"The server is busy and asked Section Desk to wait. Sync again {when}; "
                "your changes are kept until then.",
                details,
            )
        if status >= 500:
            raise ServerRefused(
                status,
                code,
                f"The server had a problem ({status}). Try again in a few minutes.",
                details,
            )
        raise ServerRefused(status, code, message, details)

    def _parse(self, model: type[T], response: requests.Response) -> T:
        try:
            return model.model_validate_json(response.content)
        except ValidationError as exc:
            raise self._bad_answer(exc) from exc

    @staticmethod
    def _bad_answer(exc: ValidationError) -> BadAnswer:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the body"
        return BadAnswer(
            "The server's answer is not what the sync protocol allows "
            f"({where}: {first['msg']}). "
            "Nothing was applied; tell your hub's administrator."
        )

    # --- endpoints ----------------------------------------------------------------------------

    def health(self) -> Health:
        return self._parse(Health, self._request("GET", "/health"))

    def sign_in(self, username: str, password: str, device_name: str) -> TokenResponse:
        body = {"username": username, "password": password, "device_name": device_name}
        try:
            response = self._request("POST", "/auth/token", json=body)
        except AuthRequired:
            raise AuthRequired("That user name and password were not accepted.") from None
        answer = self._parse(TokenResponse, response)
        self.token = answer.token
        return answer

    def sign_out(self) -> None:
        self._request("DELETE", "/auth/token")
        self.token = None

    def me(self) -> Me:
        return self._parse(Me, self._request("GET", "/me"))

    def pull(self, since: str | None, limit: int) -> PullPage:
        params: dict[str, Any] = {"limit": limit}
        if since:
            params["since"] = since
        response = self._request("GET", "/changes", params=params)
        try:
            page = PULL_PAGE.validate_json(response.content)
        except ValidationError as exc:
            raise self._bad_answer(exc) from exc
        self.last_server_time = page["server_time"]
        return page

    def push(self, body: dict[str, Any]) -> PushResponse:
        data = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
        response = self._request(
            "POST", "/changes", data=data, headers={"Content-Type": "application/json"}
        )
        return self._parse(PushResponse, response)

    # --- blobs --------------------------------------------------------------------------------

    def blob_exists(self, sha256: str) -> bool:
        try:
            self._request("HEAD", f"/blobs/{sha256}")
        except ServerRefused as exc:
            if exc.status == 404:
                return False
            raise
        return True

    def start_upload(
        self, sha256: str, size: int, filename: str, mime: str
    ) -> UploadCreated | UploadExists:
        body = {"sha256": sha256, "size": size, "filename": filename, "mime": mime}
        response = self._request("POST", "/uploads", json=body)
        if response.status_code == 200:
            return self._parse(UploadExists, response)
        return self._parse(UploadCreated, response)

    def upload_offset(self, upload_id: str) -> int:
        return self._parse(UploadOffset, self._request("GET", f"/uploads/{upload_id}")).offset

    def upload_chunk(self, upload_id: str, offset: int, chunk: bytes) -> int:
        response = self._request(
            "PUT",
            f"/uploads/{upload_id}",
            params={"offset": offset},
            data=chunk,
            headers={"Content-Type": "application/octet-stream"},
        )
        return self._parse(UploadOffset, response).offset

    def complete_upload(self, upload_id: str) -> str:
        response = self._request("POST", f"/uploads/{upload_id}/complete")
        return self._parse(UploadComplete, response).sha256

    def download(
        self, sha256: str, *, offset: int = 0, thumbnail: bool = False
    ) -> tuple[int, Iterator[bytes]]:
        """Stream a blob (from ``offset`` with a Range request); returns (status, chunks)."""
        headers = {"Range": f"bytes={offset}-"} if offset else {}
        path = f"/blobs/{sha256}/thumbnail" if thumbnail else f"/blobs/{sha256}"
        response = self._request("GET", path, headers=headers, stream=True)

        def chunks() -> Iterator[bytes]:
            try:
                yield from response.iter_content(chunk_size=64 * 1024)
            except requests.RequestException as exc:
                raise Offline(
                    "The connection dropped during a download; it resumes on the next sync."
                ) from exc
            finally:
                response.close()

        return response.status_code, chunks()
