"""The reference central endpoint as a FastAPI app: ``create_app(settings)``.

``app_from_env`` is the factory uvicorn's worker processes import (``--workers N`` can only be
given an import string); it reads the settings ``sectiondesk-server serve`` put in the environment.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator
from typing import Final

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool

from desktop import __version__
from desktop.domain.values import utcnow
from sync.server import db as dbmod
from sync.server.blobstore import BlobStore
from sync.server.config import Settings
from sync.server.deps import ServerState
from sync.server.errors import install_error_handlers
from sync.server.limits import BodyLimitMiddleware
from sync.server.maintenance import run_maintenance
from sync.server.routes_auth import router as auth_router
from sync.server.routes_blobs import router as blobs_router
from sync.server.routes_changes import router as changes_router

log = logging.getLogger(__name__)
SKIP_MIGRATIONS_ENV: Final = "SECTIONDESK_SKIP_MIGRATIONS"


def create_app(
    settings: Settings,
    *,
    migrate: bool = True,
    maintenance: bool = True,
    pool_size: int = 5,
    max_overflow: int = 35,
) -> FastAPI:
    """A ready app over ``settings``' database (migrated first unless ``migrate`` is False)."""
    database = dbmod.Database(settings.database_url, pool_size=pool_size, max_overflow=max_overflow)
    if migrate:
        dbmod.migrate(database.engine)
    store = BlobStore(settings.blob_dir, thumbnail_px=settings.thumbnail_px)
    state = ServerState(settings=settings, db=database, store=store)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(_maintain(state)) if maintenance else None
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            database.dispose()

    app = FastAPI(
        title="Section Desk central endpoint",
        version=__version__,
        description="The reference implementation of Section Desk's sync protocol v1.",
        lifespan=lifespan,
        docs_url="/v1/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.server = state
    install_error_handlers(app)

    app.include_router(auth_router)
    app.include_router(changes_router)
    app.include_router(blobs_router)
    app.add_middleware(BodyLimitMiddleware, settings=settings)
    return app


async def _maintain(state: ServerState) -> None:
    interval = max(1.0, state.settings.maintenance_interval.total_seconds())
    while True:
        try:
            await run_in_threadpool(
                run_maintenance, state.db, state.store, state.settings, now=utcnow()
            )
        except Exception:  # housekeeping must never stop the server
            log.exception("maintenance failed; it will run again later")
        await asyncio.sleep(interval)


def app_from_env() -> FastAPI:
    """uvicorn's factory for worker processes: settings from ``SECTIONDESK_*`` variables."""
    return create_app(Settings.from_env(), migrate=os.environ.get(SKIP_MIGRATIONS_ENV) != "1")
