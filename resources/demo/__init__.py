"""The deterministic demo workspace generator.

``generate_workspace(seed=7, assets=200, entries=300, today=None)`` plans a workspace; its
``records()`` yields every record in dependency order, ``blob(sha256)`` gives a file's bytes.
The reference server's ``seed-demo`` command, the client tests and the benchmarks use it.
``python -m resources.demo --assets N --entries N`` reports counts and timings.
"""

from __future__ import annotations

from resources.demo.workspace import (
    DEMO_LEAD,
    DemoRecord,
    DemoUser,
    DemoWorkspace,
    generate_workspace,
)

__all__ = ["DEMO_LEAD", "DemoRecord", "DemoUser", "DemoWorkspace", "generate_workspace"]
