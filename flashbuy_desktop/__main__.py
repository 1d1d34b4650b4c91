"""Entry point of the ``flashbuy`` console command."""

import sys


def main() -> int:
    """Start the console (not built yet: say so rather than pretend)."""
    print("flashbuy: console not built yet; run `flashbuy-server --help` for the platform")
    return 1


if __name__ == "__main__":
    sys.exit(main())
