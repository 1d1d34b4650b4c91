"""The ``flashbuy-server`` command line, run as real processes on both databases.

Admin commands print what they made as JSON; refused input says why on stderr,
exits non-zero and changes nothing.
"""

import importlib.metadata
import json
import socket
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from flashbuy_server import accounts, migrate
from flashbuy_server import cli as cli_module
from flashbuy_server.db import Database
from flashbuy_server.tables import creators, metadata
from tests.support import PASSWORD, snapshot, unique

TIMEOUT = 60


def cli(*args: str, url: str | None = None, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run ``python -m flashbuy_server [--database-url URL] ARGS``; never raises on failure."""
    command = [sys.executable, "-m", "flashbuy_server"]
    if url is not None:
        command += ["--database-url", url]
    return subprocess.run(
        [*command, *args],
        input=stdin,  # never the terminal: create-creator would prompt for a password
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def ok(*args: str, url: str, stdin: str = "") -> Any:
    """The JSON an admin command that must succeed prints."""
    done = cli(*args, url=url, stdin=stdin)
    assert done.returncode == 0, (args, done.returncode, done.stderr)
    return json.loads(done.stdout)


def refused(done: subprocess.CompletedProcess[str], *says: str) -> str:
    """Assert a clear refusal: non-zero, nothing on stdout, a message on stderr (no traceback)."""
    assert done.returncode != 0, (done.stdout, done.stderr)
    assert done.stdout == "", done.stdout
    assert "Traceback" not in done.stderr, done.stderr
    for text in says:
        assert text in done.stderr, (text, done.stderr)
    return done.stderr


def tables_in(url: str) -> set[str]:
    """The tables a database has (none for a SQLite file that was never made)."""
    db = Database(url, pool_size=1)
    try:
        if db.is_sqlite and not Path(db.url.database or "").exists():
            return set()
        return set(sa.inspect(db.engine).get_table_names())
    finally:
        db.dispose()


@dataclass
class Populated:
    """A migrated database holding one shop and one creator."""

    url: str
    db: Database
    shop_name: str
    creator_id: int


@pytest.fixture
def populated(database_url: str) -> Iterator[Populated]:
    db = Database(database_url, pool_size=2)
    migrate.upgrade(db)
    shop_name = unique("店")
    with db.write() as conn:
        accounts.create_shop(conn, shop_name, qualified=True)
        creator_id = accounts.create_creator(conn, unique("creator"), PASSWORD, invited=True)
    yield Populated(database_url, db, shop_name, creator_id)
    db.dispose()


# --- help and entry points ----------------------------------------------------------------


def test_help_describes_the_commands() -> None:
    top = cli("--help")
    assert top.returncode == 0, top.stderr
    assert top.stdout.startswith("usage: flashbuy-server")
    for word in ("serve", "admin", "--database-url", "--port"):
        assert word in top.stdout

    admin = cli("admin", "--help")
    assert admin.returncode == 0, admin.stderr
    for op in (
        "create-shop",
        "create-creator",
        "bind",
        "invite",
        "uninvite",
        "qualify",
        "disqualify",
        "create-category",
        "approve",
        "unapprove",
        "create-product",
        "list",
    ):
        assert op in admin.stdout, op

    serve = cli("serve", "--help")
    assert serve.returncode == 0, serve.stderr
    assert "--port" in serve.stdout
    assert "--host" in serve.stdout


def test_the_installed_flashbuy_server_script_runs_the_command_line() -> None:
    scripts = {ep.name: ep.value for ep in importlib.metadata.entry_points(group="console_scripts")}
    assert scripts["flashbuy-server"] == "flashbuy_server.cli:main"
    assert scripts["flashbuy"] == "flashbuy_desktop.__main__:main"
    script = Path(sysconfig.get_path("scripts")) / "flashbuy-server"
    done = subprocess.run(
        [str(script), "--help"], capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: flashbuy-server")


def test_the_desktop_console_answers_help_without_opening_a_window() -> None:
    # Once "not built yet"; the console now exists, so only its command line is checked here.
    done = subprocess.run(
        [sys.executable, "-m", "flashbuy_desktop", "--help"],
        input="",
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: flashbuy"), done.stdout
    assert "--server" in done.stdout
    assert "Traceback" not in done.stderr, done.stderr


# --- admin commands -----------------------------------------------------------------------


def test_admin_commands_print_the_new_ids_and_list_shows_them(database_url: str) -> None:
    shop_name = "翠" * 60  # the longest name allowed
    shop = ok("admin", "create-shop", shop_name, url=database_url)
    assert list(shop) == ["shop_id"]
    sid = shop["shop_id"]
    assert isinstance(sid, int)
    assert sid >= 1
    assert ok("admin", "qualify", str(sid), url=database_url) == {"shop_id": sid, "qualified": True}

    username = unique("creator")
    creator = ok(
        "admin",
        "create-creator",
        username,
        "--display-name",
        "小翠",
        "--invited",
        url=database_url,
        stdin=PASSWORD + "\n",
    )
    assert list(creator) == ["creator_id"]
    cid = creator["creator_id"]
    second = ok(
        "admin",
        "create-creator",
        unique("creator"),
        "--display-name",
        "八位",
        url=database_url,
        stdin="12345678\n",  # exactly the shortest password allowed
    )
    assert second["creator_id"] != cid
    assert ok("admin", "bind", "--creator", str(cid), "--shop", str(sid), url=database_url) == {
        "creator_id": cid,
        "shop_id": sid,
    }
    kid = ok("admin", "create-category", "翡翠", url=database_url)["category_id"]
    assert ok("admin", "approve", str(kid), url=database_url) == {
        "category_id": kid,
        "approved": True,
    }
    product = ok(
        "admin",
        "create-product",
        "冰种手镯",
        "--shop",
        str(sid),
        "--category",
        str(kid),
        url=database_url,
    )
    assert list(product) == ["product_id"]

    listing = cli("admin", "list", url=database_url)
    assert listing.returncode == 0, listing.stderr
    everything = json.loads(listing.stdout)
    assert set(everything) == {"shops", "creators", "categories", "products"}
    shops = {s["id"]: s for s in everything["shops"]}
    assert shops[sid]["name"] == shop_name
    assert shops[sid]["qualified"] is True
    assert len(shops) == 1
    listed = {c["id"]: c for c in everything["creators"]}
    assert set(listed) == {cid, second["creator_id"]}
    assert listed[cid]["username"] == username
    assert listed[cid]["display_name"] == "小翠"
    assert listed[cid]["invited"] is True
    assert listed[second["creator_id"]]["invited"] is False
    assert everything["categories"] == [{"id": kid, "name": "翡翠", "approved": True}]
    [listed_product] = everything["products"]
    assert listed_product["id"] == product["product_id"]
    assert (listed_product["shop_id"], listed_product["category_id"]) == (sid, kid)
    assert listed_product["name"] == "冰种手镯"

    # The hashes never leave the database: no column of them, and no hash anywhere.
    for row in everything["creators"]:
        assert not any("password" in key for key in row), row
    db = Database(database_url, pool_size=1)
    try:
        with db.read() as conn:
            hashes = list(conn.execute(sa.select(creators.c.password_hash)).scalars())
    finally:
        db.dispose()
    assert len(hashes) == 2
    for stored in hashes:
        assert stored not in listing.stdout
    assert "scrypt" not in listing.stdout
    assert PASSWORD not in listing.stdout


def test_create_creator_without_a_display_name_uses_the_username(database_url: str) -> None:
    username = unique("creator")
    made = ok("admin", "create-creator", username, url=database_url, stdin=PASSWORD + "\n")
    [row] = ok("admin", "list", url=database_url)["creators"]
    assert row["id"] == made["creator_id"]
    assert row["display_name"] == username


# --- refused input ------------------------------------------------------------------------

# Refused by the argument parser, before the database is opened: it stays empty.
BAD_ARGUMENTS: list[tuple[tuple[str, ...], str]] = [
    (("admin", "invite", "abc"), "'abc' is not an id"),
    (("admin", "invite", "0"), "an id is 1 or more, not 0"),
    (("admin", "create-shop", ""), "a name cannot be empty"),
    (("admin", "create-shop", "x" * 61), "a name has at most 60 characters"),
    (("serve", "--port", "abc"), "'abc' is not a port number"),
    (("serve", "--port", "99999"), "port 99999 is outside 0-65535"),
    (("--port", "65536"), "port 65536 is outside 0-65535"),  # serving is the default command
]


def test_bad_arguments_are_refused_before_the_database_is_touched(database_url: str) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(pool.map(lambda case: cli(*case[0], url=database_url), BAD_ARGUMENTS))
    for (args, says), done in zip(BAD_ARGUMENTS, runs, strict=True):
        assert done.returncode == 2, (args, done.returncode, done.stderr)
        refused(done, says, "usage: flashbuy-server")
    assert tables_in(database_url) == set()


def test_a_password_shorter_than_8_characters_is_refused(populated: Populated) -> None:
    url, db = populated.url, populated.db
    before = snapshot(db)
    done = cli(
        "admin", "create-creator", unique("c"), "--display-name", "短", url=url, stdin="1234567\n"
    )
    refused(done, "a password has at least 8 characters")
    no_password = cli("admin", "create-creator", unique("c"), "--display-name", "空", url=url)
    refused(no_password, "a password has at least 8 characters")
    assert snapshot(db) == before


def test_a_missing_creator_shop_or_category_is_named(populated: Populated) -> None:
    url, db = populated.url, populated.db
    before = snapshot(db)
    refused(cli("admin", "invite", "999", url=url), "creator 999 does not exist")
    refused(cli("admin", "approve", "997", url=url), "category 997 does not exist")
    assert snapshot(db) == before


def test_a_duplicate_shop_name_is_refused_by_the_database(populated: Populated) -> None:
    url, db, shop_name = populated.url, populated.db, populated.shop_name
    before = snapshot(db)
    done = cli("admin", "create-shop", shop_name, "--qualified", url=url)
    stderr = refused(done, "refused by the database")
    assert done.returncode == 1
    assert "shops.name" in stderr or "uq_shops_name" in stderr, stderr
    # A name that differs only by surrounding blanks is the same name.
    refused(cli("admin", "create-shop", f"  {shop_name} ", url=url), "refused by the database")
    assert snapshot(db) == before


def test_binding_to_a_missing_shop_changes_nothing(populated: Populated) -> None:
    url, db = populated.url, populated.db
    before = snapshot(db)
    done = cli("admin", "bind", "--creator", str(populated.creator_id), "--shop", "999", url=url)
    refused(done, "refused by the database")
    assert snapshot(db) == before


def test_serving_on_a_port_in_use_fails_with_a_clear_message(database_url: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = cli("serve", "--port", str(port), url=database_url)
    assert done.returncode != 0
    assert "address already in use" in done.stderr.lower(), done.stderr
    # It migrated first, as every start does, and the schema it left is whole.
    tables = tables_in(database_url)
    assert set(metadata.tables) <= tables


@pytest.mark.parametrize(
    "argv",
    [["--demo"], ["--demo", "serve"], ["serve", "--demo"], ["--demo", "serve", "--port", "9"]],
    ids=["alone", "before-serve", "after-serve", "before-serve-with-port"],
)
def test_serving_options_count_before_and_after_the_word_serve(argv: list[str]) -> None:
    # `--demo serve` once parsed as no demo: the subcommand's own default undid it.
    args = cli_module._parser().parse_args(argv)
    assert args.demo is True
    assert args.port == (9 if "9" in argv else 8700)
    assert (args.host, args.audience) == ("127.0.0.1", 0)
