"""Signing in and out, organiser accounts and browser sessions: the pages and their forms."""

from starlette.routing import Route

from arena.http.accounts.sessions import end_session, sessions_page
from arena.http.accounts.signin import login, login_form, logout, logout_form
from arena.http.accounts.users import (
    create_account,
    disable_account,
    enable_account,
    reset_password,
    users_page,
)

routes = [
    Route("/login", login_form, methods=["GET"]),
    Route("/login", login, methods=["POST"]),
    Route("/logout", logout_form, methods=["GET"]),
    Route("/logout", logout, methods=["POST"]),
    Route("/admin/users", users_page, methods=["GET"]),
    Route("/admin/users", create_account, methods=["POST"]),
    Route("/admin/users/{account_id}/disable", disable_account, methods=["POST"]),
    Route("/admin/users/{account_id}/enable", enable_account, methods=["POST"]),
    Route("/admin/users/{account_id}/password", reset_password, methods=["POST"]),
    Route("/admin/sessions", sessions_page, methods=["GET"]),
    Route("/admin/sessions/{session_id}/end", end_session, methods=["POST"]),
]
