"""Organiser accounts, signing in, and the browser sessions links and accounts open."""

from arena.services.accounts.directory import Accounts, AccountView, SignInThrottled
from arena.services.accounts.sessions import SessionPolicy, SessionRow

__all__ = ["AccountView", "Accounts", "SessionPolicy", "SessionRow", "SignInThrottled"]
