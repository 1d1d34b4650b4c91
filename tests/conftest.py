"""Fixtures for every test: no real home or keyring, and real platforms over HTTP."""

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from flashbuy_server.config import Settings, sqlite_url
from flashbuy_server.db import Database
from flashbuy_server.migrate import upgrade
from flashbuy_server.server import ServerThread
from flashbuy_server.throttle import rehearsal_settings
from tests.support import (
    Platform,
    ProcessPlatform,
    ServerProcess,
    World,
    fresh_postgres_database,
    make_world,
    postgres_available,
)

# Without an X server (a plain `pytest` run) Qt draws offscreen; the test command gives it Xvfb.
if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]

# What makes a test a `gui` test (pyproject's markers): it asks for Qt's application, itself
# or through its fixtures; where it lives does not count (tests/desktop/ui also tests Qt-free
# rules). A test that starts Qt in a process of its own carries the marker by hand.
GUI_FIXTURES = frozenset({"qapp", "qtbot", "qtmodeltester"})


def _asked_for(item: pytest.Function) -> set[str]:
    """The fixtures a test asks for itself, and those fixtures' own, all the way down.

    Autouse fixtures are left out: tests/desktop's leak check sets Qt's application up for
    the tests this finds, and only for them.
    """
    info = item._fixtureinfo
    todo = list(info.argnames)
    for mark in item.iter_markers("usefixtures"):
        todo.extend(mark.args)
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for fixturedef in info.name2fixturedefs.get(name, ()):
            todo.extend(fixturedef.argnames)
    return seen


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that shows Qt windows `gui`, so `pytest -m "not gui"` skips them."""
    for item in items:
        if not isinstance(item, pytest.Function):
            continue
        if GUI_FIXTURES & _asked_for(item):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point home and the XDG directories at a temporary folder for every test."""
    home = tmp_path / "home"
    for var, sub in (
        ("HOME", ""),
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_STATE_HOME", ".local/state"),
    ):
        path = home / sub
        path.mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(var, str(path))
    monkeypatch.delenv("FLASHBUY_DATABASE_URL", raising=False)


def require_backend(backend: str) -> None:
    """Skip a PostgreSQL test where there is none, unless the test command promised one."""
    if backend == "postgres" and not postgres_available():
        if os.environ.get("FLASHBUY_TEST_REQUIRE_POSTGRES"):
            pytest.fail("FLASHBUY_TEST_REQUIRE_POSTGRES is set but PGHOST is not")
        pytest.skip("no PostgreSQL here: run them with scripts/test.sh or scripts/with-postgres.sh")


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database of the backend the test is parametrised with."""
    backend = request.param
    require_backend(backend)
    if backend == "sqlite":
        yield sqlite_url(tmp_path / "platform" / "flashbuy.sqlite3")
    else:
        with fresh_postgres_database() as url:
            yield url


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every test that takes ``database_url`` on both databases."""
    if "database_url" in metafunc.fixturenames:
        metafunc.parametrize("database_url", BACKENDS, indirect=True)


def platform_settings(url: str) -> Settings:
    """The deployment's defaults, except two limits per client address: every test calls
    from 127.0.0.1, its viewers joining as fast as a rehearsal audience's (200 buyers in
    test_concurrency), and the session's tests together typing many a wrong password.
    tests/server/test_throttle.py tests the limits on platforms of its own."""
    return replace(
        rehearsal_settings(Settings(database_url=url)), sign_in_free_failures_per_address=10_000
    )


def _serving(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    """A platform on a new, empty database of ``backend``, until the generator is closed."""
    require_backend(backend)
    if backend == "sqlite":
        url = sqlite_url(tmp_path_factory.mktemp("platform") / "flashbuy.sqlite3")
        server = ServerThread(platform_settings(url)).start()
        yield Platform(server, backend)
        server.stop()
    else:
        with fresh_postgres_database() as url:
            server = ServerThread(platform_settings(url)).start()
            yield Platform(server, backend)
            server.stop()
            server.app.state.db.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def platform(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Platform]:
    """One platform per backend for the session; tests make their own worlds on it."""
    yield from _serving(request.param, tmp_path_factory)


@pytest.fixture(scope="module", params=BACKENDS)
def module_platform(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Platform]:
    """A platform of the test module's own, per backend. For modules that prove hundreds of
    refusals changed nothing: each snapshot() then reads their small database, not the
    session's (on it, the 650 text-rule cases took 6 minutes of a 16-minute suite)."""
    yield from _serving(request.param, tmp_path_factory)


@pytest.fixture
def world(platform: Platform) -> Iterator[World]:
    """A qualified, invited creator live in a room with two viewers."""
    w = make_world(platform)
    yield w
    w.close()


@pytest.fixture
def restartable(database_url: str) -> Iterator[ProcessPlatform]:
    """A platform in a process of its own, which a test may stop and start again."""
    db = Database(database_url, pool_size=2)
    upgrade(db)
    server = ServerProcess(database_url).start()
    yield ProcessPlatform(server, db)
    server.stop()
    db.dispose()
