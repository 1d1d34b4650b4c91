"""How many files (sockets included) this process may open, raised when it must be.

Many systems start a program with a soft limit of 1,024 open files (macOS: 256) and
allow more on request, up to the hard limit. A platform that holds thousands of event
streams, and the console's rehearsal audience, ask for what they need here.
"""

import logging

log = logging.getLogger(__name__)


def open_files(wanted: int) -> int | None:
    """The soft open-file limit, first raised towards ``wanted`` (at most to the hard
    limit) if it is lower; None where there is no limit (or no such thing: Windows)."""
    try:
        import resource  # Unix only: Windows has no such per-process limit on sockets
    except ImportError:
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        raised = wanted if hard == resource.RLIM_INFINITY else min(hard, wanted)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (raised, hard))
            soft = raised
        except (ValueError, OSError) as exc:
            log.warning("the open-file limit stays at %d: %s", soft, exc)
    return None if soft == resource.RLIM_INFINITY else soft
