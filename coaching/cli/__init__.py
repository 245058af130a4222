"""The ``coaching`` command and its sub-commands, one module each."""
