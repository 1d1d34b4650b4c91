"""A platform whose clock the rehearsal tests move: pay windows run out without waiting."""

from collections.abc import Iterator
from dataclasses import replace

import pytest

from flashbuy_server.config import sqlite_url
from flashbuy_server.server import ServerThread
from tests.clock import Clock
from tests.conftest import BACKENDS, platform_settings, require_backend
from tests.support import Platform, fresh_postgres_database

# The platform looks for due jobs (an order's expiry) this often, in real seconds.
JOBS_POLL_SECONDS = 0.05


@pytest.fixture(scope="module", params=BACKENDS)
def clocked(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Platform, Clock]]:
    """A platform of the module's own whose time stands still until the test moves it."""
    backend = request.param
    require_backend(backend)
    clock = Clock()

    def serve(url: str) -> ServerThread:
        settings = replace(platform_settings(url), clock=clock, jobs_poll_seconds=JOBS_POLL_SECONDS)
        return ServerThread(settings).start()

    if backend == "sqlite":
        server = serve(sqlite_url(tmp_path_factory.mktemp("clocked") / "flashbuy.sqlite3"))
        yield Platform(server, backend), clock
        server.stop()
    else:
        with fresh_postgres_database() as url:
            server = serve(url)
            yield Platform(server, backend), clock
            server.stop()
            server.app.state.db.dispose()
