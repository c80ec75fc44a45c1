"""``sectiondesk --screenshot PATH --view V``: render one view to a PNG and exit.

Without ``--data-dir`` it renders the demo workspace exactly as ``--demo`` shows it (the local
reference server is started, seeded the first time, signed in to and synced; then stopped).
With ``--data-dir`` it renders that store as it is, without a server. ``adapt`` shows the
adaptation view of a global entry next to its local version; ``request-form`` the request form
of a draft request.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Final

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QWidget

SECTION_VIEWS: Final = {
    "ops": "ops",
    "calendar": "calendar",
    "assets": "assets",
    "requests": "requests",
    "conflicts": "conflicts",
    "reports": "reports",
}
SIZE: Final = (1440, 900)


def settle(app: QApplication, ctx: Any, *, timeout: float = 15.0, quiet_ms: int = 600) -> None:
    """Let background reads finish and the views paint: until both pools have been idle for
    ``quiet_ms`` (thumbnails, boards and counts load on workers), or ``timeout``."""
    deadline = time.monotonic() + timeout
    quiet_since: float | None = None
    loop = QEventLoop()
    while time.monotonic() < deadline:
        QTimer.singleShot(50, loop.quit)
        loop.exec()
        idle = (
            ctx.ops.db_pool.activeThreadCount() == 0
            and ctx.ops.net_pool.activeThreadCount() == 0
            and not getattr(ctx.ops, "_running", set())
        )
        if not idle:
            quiet_since = None
            continue
        quiet_since = quiet_since or time.monotonic()
        if (time.monotonic() - quiet_since) * 1000 >= quiet_ms:
            return


def _first(ctx: Any, query: Any) -> Any:
    with ctx.store.read() as session:
        return session.execute(query).first()


def _adapt_widget(ctx: Any) -> QWidget:
    """The adaptation of a global post, preferring one whose master changed since (with the
    master's earlier version kept, so the view can say what changed)."""
    from sqlalchemy import and_, select

    from desktop.store.models import CalendarEntry as E
    from desktop.store.models import RecordHistory as H
    from sync.client.engine import account
    from ui.adapt.view import AdaptView

    markets = account(ctx.store).markets or ("de",)
    parent = E.__table__.alias("p")
    row = _first(
        ctx,
        select(E.parent_id, E.market)
        .join(parent, parent.c.id == E.parent_id)
        .outerjoin(
            H,
            and_(
                H.record_type == "calendar_entry",
                H.record_id == E.parent_id,
                H.version == E.adapted_from_version,
            ),
        )
        .where(E.market.in_(list(markets)), E.kind == "organic_post")
        .order_by(
            H.version.is_(None),
            (E.adapted_from_version < parent.c.version).desc(),
            E.starts_at.desc(),
        )
        .limit(1),
    )
    if row is None:
        raise RuntimeError("The workspace has no adapted global entry to show.")
    return AdaptView(ctx, record_type="calendar_entry", master_id=row[0], market=row[1])


def _request_form(ctx: Any) -> QWidget:
    from sqlalchemy import select

    from desktop.store.models import AmplificationRequest as R
    from ui.requests.form import RequestForm

    row = _first(ctx, select(R.id).where(R.status == "draft").order_by(R.id).limit(1))
    return RequestForm(ctx, request_id=row[0] if row else None)


def take_screenshot(app: QApplication, ctx: Any, *, path: Path, view: str) -> int:
    """Render ``view`` to ``path``; 0 on success, 1 with a message on standard error."""
    import sys

    from ui.main_window import MainWindow

    window: QWidget
    try:
        if view in SECTION_VIEWS:
            main = MainWindow(ctx, start_sync=False)
            main.resize(*SIZE)
            main.show()
            main.show_section(SECTION_VIEWS[view])
            window = main
        elif view == "adapt":
            window = _adapt_widget(ctx)
            window.resize(*SIZE)
            window.show()
        elif view == "request-form":
            window = _request_form(ctx)
            window.resize(900, 860)
            window.show()
        else:
            print(f"There is no view called {view!r}.", file=sys.stderr)
            return 2
    except Exception as exc:  # noqa: BLE001 - a plain line, never a traceback
        from ui.operations import user_message

        print(f"The {view} view could not be shown: {user_message(exc)}", file=sys.stderr)
        return 1
    settle(app, ctx)
    path.parent.mkdir(parents=True, exist_ok=True)
    ok = window.grab().save(str(path), "PNG")
    window.close()
    settle(app, ctx, timeout=5, quiet_ms=100)
    if not ok:
        print(f"Could not write {path}.", file=sys.stderr)
        return 1
    print(f"Saved the {view} view to {path}.")
    return 0
