"""``python -m flashbuy_server.rehearsal``: the same as ``flashbuy-audience``."""

import sys

from flashbuy_server.rehearsal.audience_cli import main

sys.exit(main())
