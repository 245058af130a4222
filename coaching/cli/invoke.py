"""Running a Click command the way the argparse command line did, and a group
that lists its commands in the order they were added.

``--help``, ``--version`` and usage errors print and raise :class:`SystemExit`
(code 0 or 2); whatever else the command raises (a :class:`CoachingError`, a
``KeyboardInterrupt``) goes to the caller, and its return value is the exit code.
"""

from __future__ import annotations

from collections.abc import Sequence

import click

HELP = ["-h", "--help"]  # argparse's two spellings, for every command


def run_command(command: click.Command, argv: Sequence[str], *, prog_name: str) -> int:
    """Parse ``argv`` for ``command``, run it and return its exit code."""
    try:
        with command.make_context(prog_name, list(argv), help_option_names=HELP) as context:
            return int(command.invoke(context) or 0)
    except click.exceptions.Exit as done:
        raise SystemExit(done.exit_code) from None
    except click.ClickException as error:
        error.show()
        raise SystemExit(error.exit_code) from None


class ListedInOrder(click.Group):
    """A group whose help lists its commands in the order they were added."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)
