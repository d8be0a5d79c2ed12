"""Staff accounts as rows: creating users, and logging in with throttling.

What a password or a run of failures means is decided in `tracker.accounts`;
this module keeps the counts, so every web worker sees the same lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from tracker.accounts import LOCK_AFTER, AccountError, password_matches, pause_after
from tracker.models import User, table_of, utcnow
from tracker.store import audit

WRONG = "Wrong username or password."
_USER = table_of(User).c


@dataclass(frozen=True)
class StaffUser:
    """Who is logged in, as views need it; `generation` is the one their cookie must carry."""

    id: int
    username: str
    role: str
    generation: int = 0


@dataclass(frozen=True)
class LoginResult:
    """The user on success; otherwise a message to show and the seconds to wait."""

    user: StaffUser | None
    message: str = ""
    retry_after: int = 0


def _staff(user: User) -> StaffUser:
    return StaffUser(id=user.id, username=user.username, role=user.role,  # type: ignore[arg-type]
                     generation=user.session_generation)  # fmt: skip


def create_user(
    session: Session, username: str, password_hash: str, role: str, actor: str
) -> StaffUser:
    """Add a user (`username` and `role` already checked); `AccountError` if taken."""
    if _by_name(session, username) is not None:
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


def end_sessions(session: Session, user_id: int) -> None:
    """End every session of the user: cookies signed before now no longer log in."""
    session.execute(
        sa.update(table_of(User))
        .where(_USER.id == user_id)
        .values(session_generation=_USER.session_generation + 1)
    )


def set_password(session: Session, username: str, password_hash: str, actor: str) -> None:
    """Give the user a new password (already hashed); their sessions end, a lock is lifted."""
    user = _existing(session, username)
    user.password_hash, user.failed_logins, user.locked_until = password_hash, 0, None
    session.add(user)
    session.flush()
    end_sessions(session, user.id)  # type: ignore[arg-type]
    audit.record(session, actor, "user.password", ("user", user.id), after={"username": username})


def set_role(session: Session, username: str, role: str, actor: str) -> bool:
    """Give the user another role (already checked); their sessions end. False if unchanged."""
    user = _existing(session, username)
    if user.role == role:
        return False
    before = {"username": username, "role": user.role}
    user.role = role
    session.add(user)
    session.flush()
    end_sessions(session, user.id)  # type: ignore[arg-type]
    audit.record(session, actor, "user.role", ("user", user.id), before,
                 {"username": username, "role": role})  # fmt: skip
    return True


def attempt_login(
    session: Session, username: str, password: str, now: datetime | None = None
) -> LoginResult:
    """Check a password, counting failures; a paused or locked account is not even
    checked, so guesses made during the pause teach nothing."""
    now = now or utcnow()
    name = username.strip().lower()
    claimed = _claim_attempt(session, name, now)
    if claimed is None:
        return _refused(session, name, password, now)
    # Counted before the slow check and committed at once: a try made meanwhile,
    # from any worker, already sees this one and its pause.
    session.commit()
    user_id, failures, password_hash = claimed
    if password_matches(password_hash, password):
        session.execute(
            sa.update(table_of(User))
            .where(_USER.id == user_id)
            .values(failed_logins=0, locked_until=None)
        )
        found = staff_user(session, user_id)
        return LoginResult(found) if found else LoginResult(None, WRONG)
    if failures == LOCK_AFTER:
        locked = {"username": name, "locked_until": pause_after(failures, now)}
        audit.record(session, "(login)", "user.lock", ("user", user_id), after=locked)
    return LoginResult(None, WRONG)


def _claim_attempt(session: Session, name: str, now: datetime) -> tuple[int, int, str] | None:
    """Count one more failure, and its pause, unless the account is paused or locked.

    One UPDATE ... RETURNING: the database takes its write lock for it, so
    parallel tries are counted one after the other on SQLite as on
    PostgreSQL, and no two read the same count. The count is undone if the
    password turns out right. None: no such user, or not now.
    """
    counted = sa.case((_USER.failed_logins >= LOCK_AFTER, 1), else_=_USER.failed_logins + 1)
    until_type = _USER.locked_until.type
    pauses = [(counted == n, sa.literal(pause_after(n, now), until_type))
              for n in range(1, LOCK_AFTER + 1) if pause_after(n, now)]  # fmt: skip
    stmt = (
        sa.update(table_of(User))
        .where(_USER.username == name)
        .where(sa.or_(_USER.locked_until.is_(None), _USER.locked_until <= now))
        .values(failed_logins=counted, locked_until=sa.case(*pauses, else_=sa.null()))
        .returning(_USER.id, _USER.failed_logins, _USER.password_hash)
    )
    row = session.execute(stmt).first()
    return (row[0], row[1], row[2]) if row is not None else None


def _refused(session: Session, name: str, password: str, now: datetime) -> LoginResult:
    """No such user (as slow to say as a wrong password), or an account that must wait."""
    user = _by_name(session, name)
    if user is None:
        password_matches(None, password)
        return LoginResult(None, WRONG)
    until = user.locked_until or now  # a pause that ended just now: try again in a second
    wait = max(int((until - now).total_seconds()) + 1, 1)
    return LoginResult(None, _refusal(user.failed_logins, wait), wait)


def _by_name(session: Session, username: str) -> User | None:
    return session.exec(select(User).where(User.username == username)).first()


def _existing(session: Session, username: str) -> User:
    user = _by_name(session, username)
    if user is None:
        raise AccountError(f"there is no user {username!r}")
    return user


def _refusal(failures: int, wait: int) -> str:
    if failures >= LOCK_AFTER:
        minutes = (wait + 59) // 60
        return (
            f"Too many failed logins: this account is locked for {minutes} more "
            f"minute{'s' if minutes != 1 else ''}."
        )
    return f"Too many failed logins: wait {wait} seconds, then try again."


def set_email(session: Session, username: str, email: str | None, actor: str) -> None:
    """Give the user the address their own alerts go to (already checked); None clears it."""
    user = _existing(session, username)
    before = {"username": username, "email": user.email}
    user.email = email
    session.add(user)
    audit.record(session, actor, "user.email", ("user", user.id), before,
                 {"username": username, "email": email})  # fmt: skip


def email_of(session: Session, user_id: int) -> str | None:
    """The address a member of staff gets alerts at, if one is set."""
    user = session.get(User, user_id)
    return user.email if user is not None else None
