"""``flashbuy``: start the console (the embedded demo platform unless --server is given)."""

import argparse
import logging
import sys
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication, QMessageBox

from flashbuy_desktop.settings import ConsoleSettings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="flashbuy", description="闪购控制台 (flash-buy console)")
    parser.add_argument(
        "--server", metavar="URL", help="the platform's address (default: embedded)"
    )
    parser.add_argument(
        "--no-audience", action="store_true", help="no rehearsal viewers in the embedded demo"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the console until its windows close."""
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    settings = ConsoleSettings.load()
    if args.server is not None:
        try:
            settings.server_url = args.server
        except ValueError as exc:
            _parser().error(str(exc).splitlines()[-1])
    if args.no_audience:
        settings.rehearsal_audience = False

    from flashbuy_desktop.app import Console
    from flashbuy_desktop.credentials import TokenStore

    app = QApplication(sys.argv[:1])
    app.setApplicationName("flashbuy")
    app.setApplicationDisplayName("闪购控制台")
    console = Console(settings, TokenStore())
    console.failed.connect(lambda why: (QMessageBox.critical(None, "闪购控制台", why), app.quit()))
    app.aboutToQuit.connect(console.shutdown)
    console.start()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
