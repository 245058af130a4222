"""``python -m coaching`` is the ``coaching`` command."""

import sys

from coaching.cli.main import main

sys.exit(main())
