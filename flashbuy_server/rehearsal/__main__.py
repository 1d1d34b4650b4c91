"""``python -m flashbuy_server.rehearsal``: the same as ``flashbuy-audience``."""

import sys

from flashbuy_server.rehearsal.cli import main

sys.exit(main())
