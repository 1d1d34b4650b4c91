"""``python -m flashbuy_server`` runs the command line."""

import sys

from flashbuy_server.cli import main

sys.exit(main())
