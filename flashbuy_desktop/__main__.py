"""``flashbuy``: start the console (the embedded demo platform unless --server is given)."""

import argparse
import logging
import sys
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication
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
    except ValueError as exc:
        parser.error(f"--server {text!r}: {str(exc).splitlines()[-1].strip()}")


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
    try:
        console.start()
        return app.exec()
    finally:
        hooks.uninstall()
        logs.stop_logging()


if __name__ == "__main__":
    sys.exit(main())
