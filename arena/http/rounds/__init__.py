"""Organisers set rounds up and run them from the browser: home, round home, forms, workbooks."""

from __future__ import annotations

from starlette.routing import BaseRoute

from arena.http.rounds import forms, home

# The literal paths (/admin/rounds/new, /template.xlsx) come before /admin/rounds/{round_id}.
routes: list[BaseRoute] = [*forms.routes, *home.routes]
