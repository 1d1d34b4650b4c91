"""Running the platform with uvicorn: in the foreground, or in a thread of another program.

The console's embedded default and the tests use :class:`ServerThread`: the same
app, on 127.0.0.1, on a port the OS picks.
"""

import logging
import socket
import threading
import time
from collections.abc import Sequence
from dataclasses import replace
from types import FrameType
from typing import Any

import uvicorn
from fastapi import FastAPI

from flashbuy_server.app import create_app
from flashbuy_server.config import Settings
from flashbuy_server.connections import guarded_protocol
from flashbuy_server.jobs import DueJob
from flashbuy_server.openfiles import open_files
from flashbuy_server.rehearsal import Audience, AudienceConfig, prepare_demo
from flashbuy_server.throttle import rehearsal_settings

log = logging.getLogger(__name__)

_SPARE_FILES = 64  # database connections, logs and the listening socket


def platform_config(app: FastAPI, settings: Settings, **options: Any) -> uvicorn.Config:
    """uvicorn's settings for the platform: its HTTP protocol held to the deployment's
    connection limits (:mod:`flashbuy_server.connections`).

    The connection cap is lowered to what the process may open, so that the connection
    past it is told 503 instead of failing to be accepted at all.
    """
    limits = settings.connections
    files = open_files(limits.max_connections + _SPARE_FILES)
    if files is not None and files - _SPARE_FILES < limits.max_connections:
        cap = max(1, files - _SPARE_FILES)
        log.warning(
            "at most %d connections, not %d: this process may open %d files "
            "(raise its hard limit, `ulimit -Hn`, for more)",
            cap,
            limits.max_connections,
            files,
        )
        limits = replace(limits, max_connections=cap)
    return uvicorn.Config(app, http=guarded_protocol(limits), **options)


class PlatformServer(uvicorn.Server):
    """uvicorn, ending the event streams first when asked to stop.

    uvicorn waits for open responses before it shuts down; an event stream never
    ends by itself, so the hub closes them as soon as the exit begins.
    """

    def __init__(self, config: uvicorn.Config, app: FastAPI) -> None:
        super().__init__(config)
        self.platform_app = app

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self.platform_app.state.hub.close()
        super().handle_exit(sig, frame)

    def request_stop(self) -> None:
        """Stop as a signal would (thread-safe)."""
        self.platform_app.state.hub.close()
        self.should_exit = True


def serve(
    settings: Settings,
    host: str,
    port: int,
    *,
    demo: bool = False,
    audience: int = 0,
    extra_jobs: Sequence[DueJob] = (),
) -> None:
    """Serve until interrupted (SIGINT or SIGTERM), optionally as the demo with an audience.

    ``extra_jobs``: kinds of due job this process runs besides the platform's own.
    """
    if demo and audience:  # the rehearsal joins from this host, as fast as a crowd
        settings = rehearsal_settings(settings, audience)
    app = create_app(settings, extra_jobs=extra_jobs)
    config = platform_config(
        app, settings, host=host, port=port, log_level="info", timeout_graceful_shutdown=10
    )
    server = PlatformServer(config, app)
    rehearsal: Audience | None = None
    if demo:
        info = prepare_demo(app.state.db)
        log.warning(
            "demo: sign in as %r with password %r; the live is room %s",
            info.username,
            info.password,
            info.room_id,
        )
        if audience:
            url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"  # noqa: S104
            rehearsal = Audience(AudienceConfig(server=url, room_id=info.room_id, viewers=audience))
            _start_when_serving(server, rehearsal)
    try:
        server.run()
    finally:
        if rehearsal is not None:
            rehearsal.stop()


def _start_when_serving(server: uvicorn.Server, audience: Audience) -> None:
    def wait_then_start() -> None:
        while not server.started and not server.should_exit:
            time.sleep(0.05)  # uvicorn offers no start-up callback to a caller of run()
        if server.started:
            audience.start()

    threading.Thread(target=wait_then_start, name="audience-starter", daemon=True).start()


class ServerThread:
    """The platform serving HTTP from a daemon thread; :meth:`stop` shuts it down cleanly."""

    def __init__(
        self,
        settings: Settings,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        extra_jobs: Sequence[DueJob] = (),
    ) -> None:
        self.settings = settings
        self.app = create_app(settings, extra_jobs=extra_jobs)
        # Bind first so the port is known (and ours) before the thread starts.
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, port))
        self.host, self.port = self._socket.getsockname()[:2]
        # No logging config of uvicorn's own: its records go to the root logger, so a
        # platform embedded in the console logs into the console's (masked) log file.
        config = platform_config(
            self.app,
            settings,
            log_level="warning",
            log_config=None,
            lifespan="on",
            timeout_graceful_shutdown=5,
        )
        self._server = PlatformServer(config, self.app)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [self._socket]},
            daemon=True,
            name="platform",
        )

    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:53124``."""
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 30.0) -> "ServerThread":
        """Start serving; return once the server accepts connections."""
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the platform did not start; see the log above")
            self._thread.join(0.01)
        return self

    def stop(self) -> None:
        """Stop serving and wait for the thread to end."""
        self._server.request_stop()
        self._thread.join(timeout=30)
        self._socket.close()
