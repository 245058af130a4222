"""``coaching users``, ``coaching erase`` and ``coaching purge``: the store from the shell.

These run as the local system user (whoever may read the database file or
holds its URL), so they are the way to create the first admin. The Click
commands (:data:`STORE_COMMANDS`, added to ``coaching`` by its main module) only
parse; each hands its parameters, as ``args``, to one of the ``run_*`` functions.
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable
from contextlib import closing
from types import SimpleNamespace
from typing import Any, TypeVar

import click

from coaching.cli.invoke import ListedInOrder
from coaching.errors import StoreError
from coaching.store.auth import create_user, list_users, set_active
from coaching.store.db import DATA_DIR_ENV, DB_URL_ENV, open_store
from coaching.store.retention import ErasureReport, erase_call, erase_operator, purge_older_than
from coaching.store.schema import ROLES

F = TypeVar("F", bound=Callable[..., Any])


def db_option(command: F) -> F:
    """Decorator: the ``--db URL`` option of the commands that open the store."""
    return click.option(
        "--db",
        metavar="URL",
        help=f"database URL (default: ${DB_URL_ENV}, else SQLite in ${DATA_DIR_ENV} or ./data)",
    )(command)


@click.group(
    "users",
    cls=ListedInOrder,
    short_help="add, list and deactivate app users",
    help="add, list and deactivate app users",
)
def users() -> None:
    pass


@users.command("add", help="add a user (asks for the password)")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--team", help="the team (required for coaches; operators join it)")
@click.option(
    "--password-stdin", is_flag=True, help="read the password from the first line of stdin"
)
@db_option
def users_add(**params) -> int:
    return run_users_add(SimpleNamespace(**params))


@users.command("list", help="list users")
@db_option
def users_list(**params) -> int:
    return run_users_list(SimpleNamespace(**params))


def _set_active_command(action: str, active: bool) -> click.Command:
    @users.command(action, help=f"{action} a user")
    @click.argument("name")
    @db_option
    def command(**params) -> int:
        return run_users_set_active(SimpleNamespace(**params, active=active))

    return command


users_deactivate = _set_active_command("deactivate", False)
users_activate = _set_active_command("activate", True)


@click.command(
    "erase",
    short_help="erase one call or everything about one operator",
    help="Remove a call, or an operator with all their calls, annotations, reviews, "
    "user account and the app's copies of their audio; says what it removed.",
)
@click.option("--call", type=int, metavar="ID", help="the call id")
@click.option("--operator", metavar="NAME", help="the operator's name")
@click.option("--yes", is_flag=True, help="do not ask for confirmation")
@db_option
def erase(**params) -> int:
    if (params["call"] is None) == (params["operator"] is None):
        raise click.UsageError("give either --call ID or --operator NAME (exactly one of them)")
    return run_erase(SimpleNamespace(**params))


@click.command(
    "purge",
    short_help="remove calls older than a retention period",
    help="Remove calls whose call time is more than DAYS ago, with derived data "
    "and the app's copies of their audio.",
)
@click.option("--older-than", type=float, required=True, metavar="DAYS")
@db_option
def purge(**params) -> int:
    return run_purge(SimpleNamespace(**params))


STORE_COMMANDS = (users, erase, purge)


def run_users_add(args: SimpleNamespace) -> int:
    """``coaching users add NAME --role R [--team T] [--password-stdin]``."""
    password = _read_password(from_stdin=args.password_stdin)
    with closing(open_store(args.db)) as store, store.session() as session:
        info = create_user(session, args.name, role=args.role, password=password, team=args.team)
    team = f" in team {info.team}" if info.team else ""
    print(f"added {info.role} {info.name}{team}")
    return 0


def _read_password(*, from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise StoreError("no terminal to ask for the password; pipe it with --password-stdin")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise StoreError("the two passwords differ; nothing was added")
    return first


def run_users_list(args: SimpleNamespace) -> int:
    """``coaching users list``."""
    with closing(open_store(args.db)) as store, store.session() as session:
        users = list_users(session)
    if not users:
        print("no users yet; add an admin with: coaching users add NAME --role admin")
    for user in users:
        state = "" if user.active else "  (deactivated)"
        operator = f"  operator {user.operator}" if user.operator else ""
        print(f"{user.name:<24} {user.role:<10} {user.team or '-':<16}{operator}{state}")
    return 0


def run_users_set_active(args: SimpleNamespace) -> int:
    """``coaching users deactivate|activate NAME``."""
    with closing(open_store(args.db)) as store, store.session() as session:
        set_active(session, args.name, args.active)
    print(f"{args.name} is now {'active' if args.active else 'deactivated'}")
    return 0


def run_erase(args: SimpleNamespace) -> int:
    """``coaching erase --call ID | --operator NAME [--yes]``."""
    what = f"call {args.call}" if args.call is not None else f"operator {args.operator}"
    if not args.yes:
        _confirm(f"Erase {what} and everything derived from it? This cannot be undone.")
    with closing(open_store(args.db)) as store:
        if args.call is not None:
            report = erase_call(store, args.call)
        else:
            report = erase_operator(store, args.operator)
    _print_report(report)
    return 0


def run_purge(args: SimpleNamespace) -> int:
    """``coaching purge --older-than DAYS``."""
    with closing(open_store(args.db)) as store:
        report = purge_older_than(store, days=args.older_than)
    _print_report(report)
    return 0


def _confirm(question: str) -> None:
    if not sys.stdin.isatty():
        raise StoreError("no terminal to confirm the erasure; pass --yes")
    if input(f"{question} Type yes: ").strip().lower() != "yes":
        raise StoreError("not confirmed; nothing was erased")


def _print_report(report: ErasureReport) -> None:
    for line in report.lines():
        print(line)
