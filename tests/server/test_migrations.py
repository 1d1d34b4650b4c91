"""The bundled Alembic migrations: a fresh database reaches the schema tables.py describes."""

import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from flashbuy_server import accounts, catalog, migrate
from flashbuy_server.db import Database, insert_id
from flashbuy_server.sqltypes import utcnow
from flashbuy_server.tables import metadata
from tests.support import snapshot, unique


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url, pool_size=2)
    yield database
    database.dispose()


def schema_differences(db: Database, target: sa.MetaData = metadata) -> list[Any]:
    """What autogenerate would change to make the database match ``target`` (types too).

    Alembic's own shapes (untyped there): a tuple per change, a list of tuples per column.
    """
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        return list(compare_metadata(context, target))


def test_a_fresh_database_is_brought_to_the_newest_revision(db: Database) -> None:
    head = migrate.head_revision()
    assert head
    assert migrate.current_revision(db) is None
    assert sa.inspect(db.engine).get_table_names() == []

    migrate.upgrade(db)

    assert migrate.current_revision(db) == head
    tables = set(sa.inspect(db.engine).get_table_names())
    assert tables == {*metadata.tables, "alembic_version"}


def test_upgrading_again_is_harmless_and_keeps_the_data(db: Database) -> None:
    migrate.upgrade(db)
    with db.write() as conn:
        shop_id = accounts.create_shop(conn, unique("店"), qualified=True)
    before = snapshot(db)

    migrate.upgrade(db)
    migrate.upgrade(db)

    assert migrate.current_revision(db) == migrate.head_revision()
    assert snapshot(db) == before
    with db.read() as conn:
        versions = conn.execute(sa.text("SELECT version_num FROM alembic_version")).all()
    assert [v[0] for v in versions] == [migrate.head_revision()]
    # And the database still takes writes: ids go on from where they were.
    with db.write() as conn:
        assert accounts.create_shop(conn, unique("店")) > shop_id


def test_the_migrated_schema_is_exactly_the_tables_module(db: Database) -> None:
    migrate.upgrade(db)
    assert schema_differences(db) == []

    # The comparison does see a schema that differs: a column tables.py lacks, or one more.
    drifted = sa.MetaData(naming_convention=metadata.naming_convention)
    for table in metadata.sorted_tables:
        table.to_metadata(drifted)
    drifted.tables["shops"].append_column(sa.Column("motto", sa.String(40), nullable=True))
    drifted.remove(drifted.tables["idempotency_keys"])
    kinds = sorted(str(diff[0]) for diff in schema_differences(db, drifted))
    assert kinds == ["add_column", "remove_index", "remove_table"]  # the table and its index


def test_the_one_live_per_creator_index_is_built_partial_and_unique(db: Database) -> None:
    # compare_metadata sees the index but not its WHERE clause: check that it is partial.
    migrate.upgrade(db)
    with db.write() as conn:
        creator = accounts.create_creator(conn, unique("c"), "password1")
        now = utcnow()
        rooms = metadata.tables["rooms"]
        row = {
            "creator_id": creator,
            "title": "t",
            "started_at": now,
            "viewer_count": 0,
            "last_event_id": 0,
        }
        for _ in range(2):  # many ended rooms are fine
            conn.execute(rooms.insert().values(status="ended", **row))
        conn.execute(rooms.insert().values(status="live", **row))
    with pytest.raises(sa.exc.IntegrityError), db.write() as conn:
        conn.execute(rooms.insert().values(status="live", **row))


# Two threads of one process calling upgrade at once on one empty database. Run in a
# child process so that a hang (a migration waiting on a lock the other holds) is ended
# by a timeout instead of leaving a thread behind in the test process.
_TWO_AT_ONCE = """
import json, sys, threading
from flashbuy_server import migrate
from flashbuy_server.db import Database

url = sys.argv[1]
barrier = threading.Barrier(2)
results = [None, None]

def run(i):
    db = Database(url, pool_size=1)
    try:
        barrier.wait(timeout=30)
        migrate.upgrade(db)
        results[i] = "ok"
    except Exception as exc:
        results[i] = f"{type(exc).__name__}: {exc}"[:300]
    finally:
        db.dispose()

threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(json.dumps(results))
"""


def test_two_upgrades_at_once_both_succeed(database_url: str, db: Database) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", _TWO_AT_ONCE, database_url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        out, err = child.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        pytest.fail("two upgrades at once did not finish within 20 s (a lock wait or deadlock)")
    assert child.returncode == 0, err
    assert json.loads(out) == ["ok", "ok"], err
    assert migrate.current_revision(db) == migrate.head_revision()
    with db.read() as conn:
        versions = conn.execute(sa.text("SELECT version_num FROM alembic_version")).all()
    assert len(versions) == 1
    assert schema_differences(db) == []


def _upgrade_to(db: Database, revision: str) -> None:
    config = migrate.alembic_config()
    with db.engine.connect() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
        conn.commit()


def test_a_rooms_totals_are_filled_from_the_orders_it_already_has(db: Database) -> None:
    """Migration 0008 counts each room's orders and their prices (postage aside)."""
    _upgrade_to(db, "0007")
    t = metadata.tables
    now = utcnow()
    with db.write() as conn:
        creator = accounts.create_creator(conn, unique("c"), "password1")
        shop = accounts.create_shop(conn, unique("店"), qualified=True)
        category = catalog.create_category(conn, unique("翡翠"), approved=True)
        product = catalog.create_product(conn, shop, category, "手镯")
        conn.execute(
            t["pictures"]
            .insert()
            .values(
                id="a" * 64,
                content_type="image/png",
                width=1,
                height=1,
                size_bytes=1,
                data=b"x",
                created_at=now,
            )
        )
        template = insert_id(
            conn,
            t["shipping_templates"],
            creator_id=creator,
            name="包邮",
            kind="free",
            region_fees={},
            excluded_regions=[],
            deleted=False,
            created_at=now,
            updated_at=now,
        )
        room = {"creator_id": creator, "title": "t", "started_at": now, "viewer_count": 0}
        busy = insert_id(conn, t["rooms"], status="ended", last_event_id=0, **room)
        quiet = insert_id(conn, t["rooms"], status="live", last_event_id=0, **room)
        for price, buyers in ((128_800, 2), (50_000, 1)):
            flashbuy = insert_id(
                conn,
                t["flashbuys"],
                room_id=busy,
                creator_id=creator,
                product_id=product,
                category_id=category,
                mode="full",
                title="t",
                piece_no="1",
                price_fen=price,
                stock=5,
                sold=buyers,
                status="active",
                picture_id="a" * 64,
                template_id=template,
                note="",
                created_at=now,
            )
            for _ in range(buyers):
                viewer = insert_id(conn, t["viewers"], nickname="v", created_at=now)
                conn.execute(
                    t["orders"]
                    .insert()
                    .values(
                        flashbuy_id=flashbuy,
                        room_id=busy,
                        viewer_id=viewer,
                        price_fen=price,
                        shipping_fen=1_200,
                        created_at=now,
                    )
                )

    migrate.upgrade(db)

    rooms = t["rooms"]
    with db.read() as conn:
        totals = {
            r.id: (r.order_count, r.sales_fen)
            for r in conn.execute(sa.select(rooms.c.id, rooms.c.order_count, rooms.c.sales_fen))
        }
    assert totals == {busy: (3, 307_600), quiet: (0, 0)}
    assert schema_differences(db) == []
