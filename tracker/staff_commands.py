"""The `tracker` commands for staff accounts: create-user, set-password, set-role, set-email.

A new password or a new role ends every session the user has open (their
session generation moves on), so a role taken away is gone at once.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from tracker.accounts import ROLES, AccountError, check_username, hash_password
from tracker.terminal import out

if TYPE_CHECKING:  # the store loads when a command runs: `tracker tag` needs none of it
    from sqlmodel import Session

    from tracker.pipeline import Pipeline

ROLE = click.Choice(list(ROLES))
PASSWORD_STDIN = click.option(
    "--password-stdin", is_flag=True, help="Read the password from stdin's first line."
)


@contextmanager
def _session(p: Pipeline) -> Iterator[Session]:
    """One transaction; then items an interrupted run left out of events are placed
    (after the change asked for, which comes first); then the engine's
    connections are closed: the command is done."""
    from tracker.cli import resume_grouping
    from tracker.store.engine import session_scope

    try:
        with session_scope(p.engine) as session:
            yield session
        resume_grouping(p)
    finally:
        p.engine.dispose()


def _password(from_stdin: bool) -> str:
    """A hashed password, read from stdin or asked twice; `AccountError` if unusable."""
    if from_stdin:
        return hash_password(sys.stdin.readline().rstrip("\r\n"))
    return hash_password(click.prompt("Password", hide_input=True, confirmation_prompt=True))


@click.command(name="create-user")
@click.argument("name")
@click.option("--role", type=ROLE, default="editor", show_default=True)
@PASSWORD_STDIN
def create_user(name: str, role: str, password_stdin: bool) -> None:
    """Add a member of staff who may edit from the site; readers need no account.

    Editors review tags and regroup events; admins also manage sources and
    read the audit log. The password is asked twice, or read from stdin.
    """
    from tracker.cli import expected_errors, fail, pipeline
    from tracker.store import accounts
    from tracker.store.audit import COMMAND_LINE

    try:
        username = check_username(name)
        hashed = _password(password_stdin)
        with expected_errors():
            p = pipeline()
            p.init()
            with _session(p) as session:
                accounts.create_user(session, username, hashed, role, COMMAND_LINE)
    except AccountError as exc:
        fail(str(exc), code=2)
    out.print(f"Created the {role} {username!r}. Log in at /login.")


@click.command(name="set-password")
@click.argument("name")
@PASSWORD_STDIN
def set_password(name: str, password_stdin: bool) -> None:
    """Give a member of staff a new password; their open sessions end and a lock lifts."""
    from tracker.cli import expected_errors, fail, pipeline
    from tracker.store import accounts
    from tracker.store.audit import COMMAND_LINE

    try:
        username = check_username(name)
        hashed = _password(password_stdin)
        with expected_errors():
            p = pipeline()
            p.init()
            with _session(p) as session:
                accounts.set_password(session, username, hashed, COMMAND_LINE)
    except AccountError as exc:
        fail(str(exc), code=2)
    out.print(f"New password for {username!r}; their open sessions have ended.")


@click.command(name="set-role")
@click.argument("name")
@click.argument("role", type=ROLE)
def set_role(name: str, role: str) -> None:
    """Make a member of staff an editor or an admin; their open sessions end."""
    from tracker.cli import expected_errors, fail, pipeline
    from tracker.store import accounts
    from tracker.store.audit import COMMAND_LINE

    try:
        username = check_username(name)
        with expected_errors():
            p = pipeline()
            p.init()
            with _session(p) as session:
                changed = accounts.set_role(session, username, role, COMMAND_LINE)
    except AccountError as exc:
        fail(str(exc), code=2)
    if changed:
        out.print(f"{username!r} is now an {role}; their open sessions have ended.")
    else:
        out.print(f"{username!r} is already an {role}; nothing changed.")


@click.command(name="set-email")
@click.argument("name")
@click.argument("address")
def set_email(name: str, address: str) -> None:
    """Set the address a member of staff gets alerts at ("" clears it); /account/alerts
    then lists and manages that address's subscriptions."""
    from tracker.cli import expected_errors, fail, pipeline
    from tracker.store import accounts
    from tracker.store.audit import COMMAND_LINE
    from tracker.web.alert_pages import FormError, checked_address

    try:
        username = check_username(name)
        email = checked_address(address.strip()) if address.strip() else None
        with expected_errors():
            p = pipeline()
            p.init()
            with _session(p) as session:
                accounts.set_email(session, username, email, COMMAND_LINE)
    except (AccountError, FormError) as exc:
        fail(str(exc), code=2)
    said = f"alerts to {email}" if email else "no alerts address"
    out.print(f"{username!r} now has {said}; /account/alerts shows them.")


COMMANDS = (create_user, set_password, set_role, set_email)
