"""``flashbuy``: start the console (the embedded demo platform unless --server is given)."""

import argparse
import contextlib
import logging
import math
import os
import signal
import socket
import sys
from collections.abc import Sequence

from pydantic import ValidationError
from PySide6.QtCore import QCoreApplication, QSocketNotifier, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from flashbuy_desktop.diagnostics import crash, logs
from flashbuy_desktop.services import i18n
from flashbuy_desktop.settings import ConsoleSettings

log = logging.getLogger("flashbuy_desktop")


# The rehearsal audience's comments a second: the embedded platform's default and bound,
# repeated here so that --help and a wrong argument need not import the platform.
AUDIENCE_RATE_DEFAULT = 3
AUDIENCE_RATE_MAX = 2_000


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
        "--audience-rate",
        metavar="N",
        help="comments a second from the demo's rehearsal audience, for this run: 0 to "
        f"{AUDIENCE_RATE_MAX:,}, a real flood (default: {AUDIENCE_RATE_DEFAULT})",
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


def _audience_rate(parser: argparse.ArgumentParser, args: argparse.Namespace) -> float | None:
    """The --audience-rate asked for; a clear error if it is not one the demo can make."""
    text: str | None = args.audience_rate
    if text is None:
        return None
    if args.server is not None:
        parser.error("--audience-rate is for the embedded demo's audience; it takes no --server")
    if args.no_audience:
        parser.error("--audience-rate with --no-audience: there is no audience to comment")
    try:
        rate = float(text)
    except ValueError:
        parser.error(f"--audience-rate {text!r}: a number of comments a second, such as 50")
    if not math.isfinite(rate) or not 0 <= rate <= AUDIENCE_RATE_MAX:
        parser.error(f"--audience-rate {text!r}: from 0 to {AUDIENCE_RATE_MAX} comments a second")
    return rate


def _quit_on_signals(app: QApplication) -> None:
    """SIGTERM and SIGINT (Ctrl+C) quit as closing the window does: the orderly shutdown.

    Python runs a signal handler only once the interpreter gets control, which a Qt event
    loop waiting in C++ does not give it; the wake-up socket makes the loop wake, and the
    handler runs with the notifier's slot.
    """
    reader, writer = socket.socketpair()
    for end in (reader, writer):
        end.setblocking(False)
    signal.set_wakeup_fd(writer.fileno())
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, app)

    def drain() -> None:
        with contextlib.suppress(OSError):
            reader.recv(64)

    notifier.activated.connect(drain)

    def quit_now(signum: int, _frame: object) -> None:
        log.info("%s: quitting", signal.Signals(signum).name)
        # exit(), not quit(): Qt's quit() first asks every window to close, and the main
        # window asks the seller during a live; a signal (a logout, a service manager)
        # does not wait for an answer. aboutToQuit still runs the orderly shutdown.
        app.exit(0)

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, quit_now)

    def close_sockets() -> None:
        reader.close()
        writer.close()

    # The connection keeps both sockets (and so the wake-up descriptor) as long as the app.
    app.destroyed.connect(close_sockets)


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
    audience_rate = _audience_rate(parser, args)

    log_path = logs.setup_logging()
    hooks = crash.install()  # from here on, no exception in any thread goes unseen
    settings = ConsoleSettings.load()

    from flashbuy_desktop.composition.app import Console
    from flashbuy_desktop.composition.credentials import TokenStore
    from flashbuy_desktop.ui.crash_window import CrashReporter

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
    if audience_rate is not None and console.embedded is not None:
        console.embedded.comment_rate = audience_rate
    reporter = CrashReporter(report=console.report_problem, parent=app)
    hooks.add_listener(reporter.notify)
    console.failed.connect(lambda why: (QMessageBox.critical(None, title, why), app.quit()))
    app.aboutToQuit.connect(console.shutdown)
    _quit_on_signals(app)
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
