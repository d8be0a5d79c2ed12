"""Staff accounts as rules, with no I/O: roles, password hashing, login throttling.

Readers need no account. Editors decide tags and regroup events; admins also
manage sources and read the audit log. The store keeps the rows
(`tracker.store.accounts`); this module decides what a password or a run of
failed logins means.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import cache

ROLES = ("editor", "admin")
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,79}$")
MIN_PASSWORD = 10
MAX_PASSWORD = 1024  # scrypt reads all of it: a megabyte "password" would be a cheap DoS

# After a failed login the account refuses further tries for a growing pause,
# which makes guessing slow without making any request wait; the fifth failure
# in a row locks it for a quarter of an hour.
LOCK_AFTER = 5
LOCK_FOR = timedelta(minutes=15)
PAUSES = (timedelta(0), timedelta(seconds=2), timedelta(seconds=5), timedelta(seconds=15))


class AccountError(Exception):
    """A username, role or password that cannot be used; the message says why."""


def check_username(name: str) -> str:
    """The username, lower-cased, or `AccountError`."""
    name = name.strip().lower()
    if not USERNAME.match(name):
        raise AccountError(
            f"username {name!r} must be 2 to 80 lowercase letters, digits, '.', '_' or '-'"
        )
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"role {role!r} must be one of {', '.join(ROLES)}")
    return role


def hash_password(password: str) -> str:
    """A salted scrypt hash of an acceptable password, or `AccountError`."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"the password must have at most {MAX_PASSWORD} characters")
    from werkzeug.security import generate_password_hash  # only commands that need it pay for it

    return generate_password_hash(password, method="scrypt")


def password_matches(stored_hash: str | None, password: str) -> bool:
    """Whether `password` matches; with no account, a dummy hash is checked instead,
    so that an unknown username takes as long to refuse as a wrong password."""
    if len(password) > MAX_PASSWORD:
        return False
    from werkzeug.security import check_password_hash

    return check_password_hash(stored_hash or _dummy_hash(), password) and stored_hash is not None


@cache
def _dummy_hash() -> str:
    from werkzeug.security import generate_password_hash

    return generate_password_hash("no account has this password", method="scrypt")


def pause_after(failures: int, now: datetime) -> datetime | None:
    """Until when an account refuses logins after `failures` failures in a row."""
    if failures <= 0:
        return None
    if failures >= LOCK_AFTER:
        return now + LOCK_FOR
    pause = PAUSES[min(failures, len(PAUSES)) - 1]
    return now + pause if pause else None


def is_staff(role: str | None) -> bool:
    return role in ROLES


def is_admin(role: str | None) -> bool:
    return role == "admin"
