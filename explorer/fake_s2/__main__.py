"""``python -m explorer.fake_s2 --corpus DIR --port N``: see :func:`explorer.fake_s2.cli.main`."""

import sys

from explorer.fake_s2.cli import main

sys.exit(main())
