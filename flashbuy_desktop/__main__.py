"""``flashbuy``: start the console (the embedded demo platform unless --server is given)."""

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from pydantic import ValidationError
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from flashbuy_desktop import crash, i18n, logs
from flashbuy_desktop.settings import ConsoleSettings

log = logging.getLogger("flashbuy_desktop")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="flashbuy", description="闪购控制台 (flash-buy console)")
    parser.add_argument(
        "--server", metavar="URL", help="the platform's address, for this run (default: embedded)"
    )
    parser.add_argument(
        "--no-audience",
        action="store_true",
        help="no rehearsal viewers in the embedded demo, for this run",
    )
    parser.add_argument(
        "--quit-when-shown",
        action="store_true",
        help="end as soon as the main window is on screen, skipping the orderly shutdown "
        "(to time the start-up with /usr/bin/time)",
    )
    parser.add_argument(
        "--self-check",
        action="store_true",
        help="start the demo with scratch data, check this installation, print a JSON report",
    )
    return parser


def _server_url(parser: argparse.ArgumentParser, text: str | None) -> str | None:
    """The --server address as the settings would keep it; a clear error if it is not one."""
    if text is None:
        return None
    try:
        return ConsoleSettings(server_url=text).server_url
    except ValidationError as exc:
        first = exc.errors()[0]
        reason = first.get("ctx", {}).get("error", first["msg"])  # the validator's own words
        parser.error(f"--server {text!r}: {reason}")


def _end_now() -> None:
    log.info("main window shown; ending now (--quit-when-shown)")
    logging.shutdown()
    os._exit(0)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the console until its windows close."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.self_check:
        if args.server is not None:
            parser.error("--self-check runs the embedded demo; it takes no --server")
        # Before the log and the settings: a self-check leaves the user's folders alone.
        from flashbuy_desktop.selfcheck import run_self_check

        return run_self_check()
    server_url = _server_url(parser, args.server)

    log_path = logs.setup_logging()
    hooks = crash.install()  # from here on, no exception in any thread goes unseen
    settings = ConsoleSettings.load()

    from flashbuy_desktop.app import Console
    from flashbuy_desktop.credentials import TokenStore
    from flashbuy_desktop.ui.crash import CrashReporter

    app = QApplication(sys.argv[:1])
    app.setApplicationName("flashbuy")
    language = i18n.resolve(settings.language)
    i18n.install(app, language)
    title = QCoreApplication.translate("Console", "Flash-buy console")
    app.setApplicationDisplayName(title)
    log.info("console starting: language %s, log %s", language, log_path)

    # --server and --no-audience hold for this run; they are never written to the settings.
    console = Console(
        settings,
        TokenStore(),
        server_url=server_url,
        audience=False if args.no_audience else None,
    )
    reporter = CrashReporter(report=console.report_problem, parent=app)
    hooks.add_listener(reporter.notify)
    console.failed.connect(lambda why: (QMessageBox.critical(None, title, why), app.quit()))
    app.aboutToQuit.connect(console.shutdown)
    if args.quit_when_shown:
        # After the turn of the event loop that shows and paints the window. The process ends
        # there: the shutdown (the audience leaving, the platform stopping) is not start-up
        # time, and the embedded database's journal keeps its data safe from a sudden end.
        console.ready.connect(lambda: QTimer.singleShot(0, _end_now))
    try:
        console.start()
        return app.exec()
    finally:
        hooks.uninstall()
        logs.stop_logging()


if __name__ == "__main__":
    sys.exit(main())
