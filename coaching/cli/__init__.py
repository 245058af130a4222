"""The ``coaching`` command and its sub-commands, one module each.

A new sub-command lives in ``coaching/cli/<name>.py`` as a Click command or group that
returns the exit code and raises :class:`~coaching.errors.CoachingError` for what the user
must fix (printed as ``error: ...``, exit 1); ``@analysis_options`` and ``options_from`` in
:mod:`coaching.cli.options` give the model options, ``@db_option`` in :mod:`coaching.cli.store`
the ``--db URL``. :mod:`coaching.cli.main` adds it with ``cli.add_command(command)``; a test
runs it with ``run_command(cli, [...], prog_name="coaching")`` (:mod:`coaching.cli.invoke`).
"""
