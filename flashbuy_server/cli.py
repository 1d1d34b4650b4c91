"""``flashbuy-server``: run the platform, or administer shops, creators and the catalog.

    flashbuy-server [serve] [--host H] [--port P] [--demo [--audience N]]
                    [--database-url URL | --data-dir DIR]
    flashbuy-server admin create-shop NAME [--qualified]
    flashbuy-server admin create-creator USERNAME [--invited]   (the password comes on stdin)
    ...
    flashbuy-server admin reports list [--creator ID]
    flashbuy-server admin reports export ID --out FILE.zip

Admin commands work on the database directly, in one transaction each, and
print what they made as JSON.
"""

import argparse
import contextlib
import getpass
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from flashbuy_server import accounts, catalog, migrate, support
from flashbuy_server.config import ConfigError, Settings
from flashbuy_server.db import Database
from flashbuy_server.errors import ApiError
from flashbuy_server.tables import categories, creators, products, shops


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port {port} is outside 0-65535")
    return port


def _positive_id(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an id (a whole number)") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"an id is 1 or more, not {value}")
    return value


def _viewers(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of viewers") from None
    if not 0 <= value <= 5_000:
        raise argparse.ArgumentTypeError("the audience has 0 to 5000 viewers")
    return value


def _name(limit: int) -> Callable[[str], str]:
    def check(text: str) -> str:
        text = text.strip()
        if not text:
            raise argparse.ArgumentTypeError("a name cannot be empty")
        if len(text) > limit:
            raise argparse.ArgumentTypeError(f"a name has at most {limit} characters")
        return text

    return check


def _serving_options(parser: argparse.ArgumentParser, *, defaults: bool) -> None:
    def default(value: object) -> object:
        return value if defaults else argparse.SUPPRESS

    parser.add_argument(
        "--host",
        default=default("127.0.0.1"),
        help="address to listen on (default: 127.0.0.1)",
    )
    parser.add_argument(
        "--port", type=_port, default=default(8700), help="port to listen on (default: 8700)"
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        default=default(False),
        help="prepare the demo shop, creator, catalog and live room",
    )
    parser.add_argument(
        "--audience",
        type=_viewers,
        default=default(0),
        metavar="N",
        help="with --demo: N rehearsal viewers join the demo live, comment and buy (default: 0)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="flashbuy-server", description="The flash-buy platform.")
    parser.add_argument(
        "--database-url",
        help="SQLAlchemy URL (default: FLASHBUY_DATABASE_URL, else SQLite in the data folder)",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="the folder of the SQLite file, for serve and admin alike "
        "(default: FLASHBUY_DATA_DIR, else ./data in the current folder)",
    )
    sub = parser.add_subparsers(dest="command")

    # Serving options work with or without the word "serve", before or after it:
    # `flashbuy-server --demo`, `flashbuy-server --demo serve`, `flashbuy-server serve --demo`.
    # The subcommand's copies default to nothing, so they never undo what came before it.
    _serving_options(parser, defaults=True)
    _serving_options(
        sub.add_parser("serve", help="serve the HTTP API (the default command)"), defaults=False
    )

    admin = sub.add_parser("admin", help="set up shops, creators and the catalog")
    ops = admin.add_subparsers(dest="op", required=True)
    p = ops.add_parser("create-shop", help="add a shop")
    p.add_argument("name", type=_name(60))
    p.add_argument("--qualified", action="store_true")
    p = ops.add_parser("create-creator", help="add a creator; the password is read from stdin")
    p.add_argument("username", type=_name(64))
    p.add_argument("--display-name", type=_name(60), default=None)
    p.add_argument("--invited", action="store_true")
    p = ops.add_parser("bind", help="let a creator sell a shop's products")
    p.add_argument("--creator", type=_positive_id, required=True)
    p.add_argument("--shop", type=_positive_id, required=True)
    for op, help_ in (("invite", "invite a creator to flash-buy"), ("uninvite", "withdraw it")):
        ops.add_parser(op, help=help_).add_argument("creator", type=_positive_id)
    for op, help_ in (("qualify", "mark a shop qualified"), ("disqualify", "withdraw it")):
        ops.add_parser(op, help=help_).add_argument("shop", type=_positive_id)
    p = ops.add_parser("create-category", help="add a category")
    p.add_argument("name", type=_name(60))
    p.add_argument("--approved", action="store_true")
    for op, help_ in (
        ("approve", "approve a category for flash-buy"),
        ("unapprove", "withdraw it"),
    ):
        ops.add_parser(op, help=help_).add_argument("category", type=_positive_id)
    p = ops.add_parser("create-product", help="add a product of a shop in a category")
    p.add_argument("name", type=_name(60))
    p.add_argument("--shop", type=_positive_id, required=True)
    p.add_argument("--category", type=_positive_id, required=True)
    ops.add_parser("list", help="print shops, creators, categories and products")
    p = ops.add_parser("reports", help="problem reports that sellers sent to support")
    reports = p.add_subparsers(dest="reports_op", required=True)
    p = reports.add_parser("list", help="print the reports, newest first (not their zips)")
    p.add_argument("--creator", type=_positive_id, default=None, help="only this creator's")
    p = reports.add_parser("export", help="write a report's zip, exactly as it was sent")
    p.add_argument("report", type=_positive_id)
    p.add_argument("--out", type=Path, required=True, metavar="FILE.zip", help="where to write it")
    return parser


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("password: ")
        if first != getpass.getpass("again: "):
            raise SystemExit("flashbuy-server: the passwords differ")
        return first
    return sys.stdin.readline().rstrip("\n")


def _write_file(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically: the file is whole or not there at all."""
    path = path.expanduser().absolute()
    if path.is_dir():
        raise SystemExit(f"flashbuy-server: {path} is a folder; name the file to write")
    if not path.parent.is_dir():
        raise SystemExit(f"flashbuy-server: the folder {path.parent} does not exist")
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise SystemExit(f"flashbuy-server: cannot write {path}: {exc.strerror or exc}") from None
    return path


def _reports(conn: Connection, args: argparse.Namespace) -> dict[str, Any]:
    if args.reports_op == "list":
        return {"reports": support.list_reports(conn, args.creator)}
    data = support.report_zip(conn, args.report)
    path = _write_file(args.out, data)
    return {
        "report_id": args.report,
        "path": str(path),
        "size_bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def _admin(conn: Connection, args: argparse.Namespace) -> dict[str, Any]:
    op = args.op
    if op == "create-shop":
        return {"shop_id": accounts.create_shop(conn, args.name, qualified=args.qualified)}
    if op == "create-creator":
        password = _read_password()
        if len(password) < 8:
            raise SystemExit("flashbuy-server: a password has at least 8 characters")
        creator_id = accounts.create_creator(
            conn,
            args.username,
            password,
            display_name=args.display_name or "",
            invited=args.invited,
        )
        return {"creator_id": creator_id}
    if op == "bind":
        accounts.bind_shop(conn, args.creator, args.shop)
        return {"creator_id": args.creator, "shop_id": args.shop}
    if op in ("invite", "uninvite"):
        accounts.set_invited(conn, args.creator, op == "invite")
        return {"creator_id": args.creator, "invited": op == "invite"}
    if op in ("qualify", "disqualify"):
        accounts.set_qualified(conn, args.shop, op == "qualify")
        return {"shop_id": args.shop, "qualified": op == "qualify"}
    if op == "create-category":
        return {"category_id": catalog.create_category(conn, args.name, approved=args.approved)}
    if op in ("approve", "unapprove"):
        catalog.set_approved(conn, args.category, op == "approve")
        return {"category_id": args.category, "approved": op == "approve"}
    if op == "create-product":
        return {"product_id": catalog.create_product(conn, args.shop, args.category, args.name)}
    if op == "reports":
        return _reports(conn, args)
    if op == "list":
        return {
            table.name: [
                {k: v for k, v in row._mapping.items() if k != "password_hash"}
                for row in conn.execute(sa.select(table).order_by(table.c.id))
            ]
            for table in (shops, creators, categories, products)
        }
    raise AssertionError(op)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        settings = Settings.from_env(args.database_url, args.data_dir)
    except ConfigError as exc:
        print(f"flashbuy-server: {exc}", file=sys.stderr)
        return 2
    if args.command in (None, "serve"):
        if args.audience and not args.demo:
            print(
                "flashbuy-server: --audience needs --demo (it joins the demo live)", file=sys.stderr
            )
            return 2
        from flashbuy_server.server import serve

        serve(settings, args.host, args.port, demo=args.demo, audience=args.audience)
        return 0
    db = Database(settings.database_url, pool_size=1)
    try:
        migrate.upgrade(db)
        with db.write() as conn:
            result = _admin(conn, args)
    except ApiError as exc:
        print(f"flashbuy-server: {exc.message}", file=sys.stderr)
        return 1
    except IntegrityError as exc:
        print(f"flashbuy-server: refused by the database: {exc.orig}", file=sys.stderr)
        return 1
    finally:
        db.dispose()
    print(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
