"""Choose the hub backend from the ``live.backend`` setting, uvicorn style."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from arena.live.hub import Hub

# Setting scheme -> "module:class". Every backend class takes the setting's URL first.
HUBS: dict[str, str] = {
    "memory": "arena.live.memory:MemoryHub",
    "redis": "arena.live.redis:RedisHub",
    "rediss": "arena.live.redis:RedisHub",
}


def make_hub(url: str) -> Hub:
    """Build (but do not start) the hub that the ``live.backend`` URL names."""
    scheme, separator, _ = url.partition("://")
    target = HUBS.get(scheme) if separator or scheme == "memory" else None
    if target is None:
        # Name only the scheme: the URL may carry a password.
        raise ValueError(
            f"live.backend: unsupported hub backend {scheme if separator else url!r}; "
            "use 'memory', 'redis://host:port/db' or 'rediss://host:port/db'"
        )
    module_name, _, class_name = target.partition(":")
    hub_class: Callable[[str], Hub] = getattr(importlib.import_module(module_name), class_name)
    return hub_class(url)
