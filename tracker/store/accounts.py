"""Staff accounts as rows: creating users, and logging in with throttling.

What a password or a run of failures means is decided in `tracker.accounts`;
this module keeps the counts, so every web worker sees the same lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from tracker.accounts import LOCK_AFTER, AccountError, password_matches, pause_after
from tracker.models import User, utcnow
from tracker.store import audit

WRONG = "Wrong username or password."


@dataclass(frozen=True)
class StaffUser:
    """Who is logged in, as views need it."""

    id: int
    username: str
    role: str


@dataclass(frozen=True)
class LoginResult:
    """The user on success; otherwise a message to show and the seconds to wait."""

    user: StaffUser | None
    message: str = ""
    retry_after: int = 0


def _staff(user: User) -> StaffUser:
    return StaffUser(id=user.id, username=user.username, role=user.role)  # type: ignore[arg-type]


def create_user(
    session: Session, username: str, password_hash: str, role: str, actor: str
) -> StaffUser:
    """Add a user (`username` and `role` already checked); `AccountError` if taken."""
    if session.exec(select(User).where(User.username == username)).first() is not None:
        raise AccountError(f"there is already a user {username!r}")
    user = User(username=username, password_hash=password_hash, role=role, created_at=utcnow())
    session.add(user)
    session.flush()
    audit.record(session, actor, "user.create", ("user", user.id),
                 after={"username": username, "role": role})  # fmt: skip
    return _staff(user)


def staff_user(session: Session, user_id: int) -> StaffUser | None:
    """The user with this id, or None if it has been removed."""
    user = session.get(User, user_id)
    return _staff(user) if user is not None else None


def attempt_login(
    session: Session, username: str, password: str, now: datetime | None = None
) -> LoginResult:
    """Check a password, counting failures; a paused or locked account is not even
    checked, so guesses made during the pause teach nothing."""
    now = now or utcnow()
    user = session.exec(
        select(User).where(User.username == username.strip().lower()).with_for_update()
    ).first()
    if user is not None and user.locked_until is not None and user.locked_until > now:
        wait = int((user.locked_until - now).total_seconds()) + 1
        return LoginResult(None, _refusal(user.failed_logins, wait), wait)
    if password_matches(user.password_hash if user else None, password):
        assert user is not None
        user.failed_logins, user.locked_until = 0, None
        session.add(user)
        return LoginResult(_staff(user))
    if user is None:
        return LoginResult(None, WRONG)
    if user.failed_logins >= LOCK_AFTER:  # the lock has run out: a fresh start
        user.failed_logins = 0
    user.failed_logins += 1
    user.locked_until = pause_after(user.failed_logins, now)
    session.add(user)
    if user.failed_logins == LOCK_AFTER:
        locked = {"username": user.username, "locked_until": user.locked_until}
        audit.record(session, "(login)", "user.lock", ("user", user.id), after=locked)
    return LoginResult(None, WRONG)


def _refusal(failures: int, wait: int) -> str:
    if failures >= LOCK_AFTER:
        minutes = (wait + 59) // 60
        return (
            f"Too many failed logins: this account is locked for {minutes} more "
            f"minute{'s' if minutes != 1 else ''}."
        )
    return f"Too many failed logins: wait {wait} seconds, then try again."
