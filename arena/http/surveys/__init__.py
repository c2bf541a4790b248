"""The residents' survey pages (/q) and the organiser's survey page and API."""

from __future__ import annotations

from starlette.routing import BaseRoute

from arena.http.surveys.admin import routes as admin_routes
from arena.http.surveys.resident import routes as resident_routes

routes: list[BaseRoute] = [*resident_routes, *admin_routes]
