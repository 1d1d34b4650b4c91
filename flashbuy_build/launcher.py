"""The packaged console's entry: flashbuy_desktop.__main__:main, as `flashbuy` runs it."""

import sys

from flashbuy_desktop.__main__ import main

sys.exit(main())
