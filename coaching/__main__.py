"""``python -m coaching`` is the ``coaching`` command."""

import sys

from coaching.cli import main

sys.exit(main())
