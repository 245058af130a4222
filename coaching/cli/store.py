"""``coaching users``, ``coaching erase`` and ``coaching purge``: the store from the shell.

These run as the local system user (whoever may read the database file or
holds its URL), so they are the way to create the first admin. Hook them in
with ``register(commands)`` on the ``coaching`` sub-parsers; each sub-command
sets ``handler`` to one of the ``run_*`` functions below.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from contextlib import closing
from typing import Any

from coaching.errors import StoreError
from coaching.store.auth import create_user, list_users, set_active
from coaching.store.db import DATA_DIR_ENV, DB_URL_ENV, open_store
from coaching.store.retention import ErasureReport, erase_call, erase_operator, purge_older_than
from coaching.store.schema import ROLES


def register(commands: Any) -> None:
    """Add the ``users``, ``erase`` and ``purge`` sub-commands."""
    _register_users(commands)
    erase = commands.add_parser(
        "erase",
        help="erase one call or everything about one operator",
        description="Remove a call, or an operator with all their calls, annotations, reviews, "
        "user account and the app's copies of their audio; says what it removed.",
    )
    target = erase.add_mutually_exclusive_group(required=True)
    target.add_argument("--call", type=int, metavar="ID", help="the call id")
    target.add_argument("--operator", metavar="NAME", help="the operator's name")
    erase.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    _add_db(erase)
    erase.set_defaults(handler=run_erase)
    purge = commands.add_parser(
        "purge",
        help="remove calls older than a retention period",
        description="Remove calls whose call time is more than DAYS ago, with derived data "
        "and the app's copies of their audio.",
    )
    purge.add_argument("--older-than", type=float, required=True, metavar="DAYS")
    _add_db(purge)
    purge.set_defaults(handler=run_purge)


def _register_users(commands: Any) -> None:
    users = commands.add_parser("users", help="add, list and deactivate app users")
    actions = users.add_subparsers(title="actions", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add a user (asks for the password)")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--team", help="the team (required for coaches; operators join it)")
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of stdin",
    )
    _add_db(add)
    add.set_defaults(handler=run_users_add)
    listing = actions.add_parser("list", help="list users")
    _add_db(listing)
    listing.set_defaults(handler=run_users_list)
    for name, active in (("deactivate", False), ("activate", True)):
        action = actions.add_parser(name, help=f"{name} a user")
        action.add_argument("name")
        _add_db(action)
        action.set_defaults(handler=run_users_set_active, active=active)


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        help=f"database URL (default: ${DB_URL_ENV}, else SQLite in ${DATA_DIR_ENV} or ./data)",
    )


add_db_argument = _add_db  # the same --db for the commands in coaching.cli.calibration


def run_users_add(args: argparse.Namespace) -> int:
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


def run_users_list(args: argparse.Namespace) -> int:
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


def run_users_set_active(args: argparse.Namespace) -> int:
    """``coaching users deactivate|activate NAME``."""
    with closing(open_store(args.db)) as store, store.session() as session:
        set_active(session, args.name, args.active)
    print(f"{args.name} is now {'active' if args.active else 'deactivated'}")
    return 0


def run_erase(args: argparse.Namespace) -> int:
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


def run_purge(args: argparse.Namespace) -> int:
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
