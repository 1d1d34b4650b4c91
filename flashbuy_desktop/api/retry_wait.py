"""How long the platform asks the console to wait before trying again (Qt-free).

The platform answers 429 with ``details.retry_after_seconds`` (too many sign-in attempts,
too many requests); the sign-in window counts that down before it lets the seller try.
"""

import math

from flashbuy_desktop.api.client import PlatformError

WAIT_MAX_SECONDS = 3600  # a platform asking for longer is shown an hour, then asked again


def retry_after_seconds(error: BaseException) -> int | None:
    """Whole seconds to wait, for a refusal that says how long; None for any other."""
    if not isinstance(error, PlatformError) or error.status != 429:
        return None
    seconds = error.details.get("retry_after_seconds")
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not seconds > 0:
        return None
    return min(math.ceil(seconds), WAIT_MAX_SECONDS)


def seconds_left(deadline: float, now: float) -> int:
    """What a countdown to ``deadline`` shows at ``now`` (monotonic seconds): 3, 2, 1, 0."""
    return max(0, math.ceil(deadline - now))
