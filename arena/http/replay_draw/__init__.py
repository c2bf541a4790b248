"""The day replayed on the hall screen (复盘) and verifiable draws of what is inspected (随机抽取).

Pages under /screen/rounds/{id}/… and /admin/rounds/{id}/…, and API v1 paths (routed before the
API mount).
"""

from __future__ import annotations

from starlette.routing import BaseRoute

from arena.http.replay_draw import draws, replay

routes: list[BaseRoute] = [*replay.routes, *draws.routes]
