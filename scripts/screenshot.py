"""Take the README's screenshot of the main window: the demo, live, with flash-buys and comments.

Run under an X server (the test command's Xvfb, or `xvfb-run -a -s "-screen 0 1920x1080x24"`):

    .venv/bin/python scripts/screenshot.py docs/screenshots/main-window.png
    .venv/bin/python scripts/screenshot.py --desktop docs/screenshots/desktop.png
    .venv/bin/python scripts/screenshot.py --windows docs/screenshots/   # settings, report, crash
    .venv/bin/python scripts/screenshot.py --flashbuy docs/screenshots/  # both new flash-buy modes
    .venv/bin/python scripts/screenshot.py --language en /tmp/main-window-en.png

It starts the console exactly as `flashbuy` does (embedded platform, demo, rehearsal
audience) in a scratch data folder, creates a few flash-buys through the API like a
seller would, lets the room run for a few seconds, and saves the window.
"""

import argparse
import dataclasses
import io
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import keyring.backends.fail
from PIL import Image, ImageDraw
from PySide6.QtCore import QRect, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QApplication

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from flashbuy_desktop.composition.app import Console  # noqa: E402
from flashbuy_desktop.composition.credentials import TokenStore  # noqa: E402
from flashbuy_desktop.diagnostics.crash import Crash  # noqa: E402
from flashbuy_desktop.services import i18n  # noqa: E402
from flashbuy_desktop.settings import ConsoleSettings  # noqa: E402
from flashbuy_desktop.ui.crash_window import CrashReporter  # noqa: E402
from flashbuy_desktop.ui.new_flashbuy import NewFlashBuyDialog  # noqa: E402
from flashbuy_desktop.ui.report_window import ProblemReportDialog  # noqa: E402
from flashbuy_desktop.ui.settings_window import SettingsWindow  # noqa: E402
from flashbuy_protocol.models import FlashBuyCreate  # noqa: E402

PREVIEW_AT = ("1000", "120", "900", "620")  # x, y, width, height of the stand-in preview


def _piece(color: str) -> bytes:
    image = Image.new("RGB", (320, 240), "#f4efe6")
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 40, 130, 200), fill="white", outline="#999999")
    draw.ellipse((170, 60, 290, 180), fill=color)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def save(picture: QPixmap, path: Path) -> None:
    """Save a screenshot; a path that cannot be written is an error, not a silent no-op."""
    if not picture.save(str(path)):
        raise SystemExit(f"could not write {path}")


def main(
    target: str,
    desktop: bool = False,
    windows: bool = False,
    language: str = "zh_CN",
    flashbuy: bool = False,
) -> int:
    app = QApplication(sys.argv[:1])
    i18n.install(app, language)
    data = tempfile.TemporaryDirectory()
    console = Console(
        ConsoleSettings(audience_viewers=30),
        TokenStore(backend=keyring.backends.fail.Keyring()),
        data_path=Path(data.name),
    )

    def sell() -> None:
        window, client = console.window, console.client
        assert window is not None
        assert client is not None
        assert window.room is not None
        room = window.room.id
        products = [p for p in client.products() if p.eligible]
        template = client.templates()[0]
        viewers = client.viewers(room)
        pieces = [
            ("1号 冰种飘花手镯", 1_288_00, "#5fa37a", None),
            ("2号 阳绿蛋面吊坠", 3_680_00, "#2e8b57", None),
            ("3号 和田玉籽料", 899_00, "#e8e4d8", viewers[0].id if viewers else None),
            ("5号 南洋金珠", 2_450_00, "#d4a64a", None),
        ]
        for i, (title, price, color, target_viewer) in enumerate(pieces):
            picture = client.upload_picture(_piece(color))
            client.create_flashbuy(
                room,
                FlashBuyCreate(
                    product_id=products[i % len(products)].id,
                    mode="targeted" if target_viewer else "full",
                    title=title,
                    piece_no=title.split("号")[0],
                    price_fen=price,
                    stock=1,
                    picture_id=picture.id,
                    template_id=template.id,
                    target_viewer_ids=[target_viewer] if target_viewer else [],
                ),
            )

    def shoot_windows() -> None:
        """The settings, problem-report and crash windows, each over the running console."""
        window, client = console.window, console.client
        assert window is not None
        assert client is not None
        folder = Path(target)
        folder.mkdir(parents=True, exist_ok=True)
        settings = SettingsWindow(console.settings, embedded_demo=True, parent=window)
        settings.show()

        def shoot_settings() -> None:
            save(settings.grab(), folder / "settings.png")
            settings.close()

        QTimer.singleShot(500, shoot_settings)
        report = ProblemReportDialog(
            client,
            console.tasks,
            console=window,
            frame_rect_provider=console.frame.capture_rect,
            log_tail=lambda: "2026-11-27 12:00:00 INFO flashbuy_desktop: console starting\n",
            parent=window,
        )
        report.description.setPlainText("F2 之后截图一直转圈，点重拍也不行。")
        report.show()

        def report_ready() -> None:
            if report.bundle is None:
                QTimer.singleShot(200, report_ready)
                return
            save(report.grab(), folder / "problem-report.png")
            report.close()
            reporter = CrashReporter(report=lambda: None)
            try:
                raise RuntimeError("the capture worker stopped")
            except RuntimeError as exc:
                crash = Crash.from_exception(type(exc), exc, exc.__traceback__, "Dummy-3")
                # The picture is published: its traceback names the script by its place in
                # the checkout (scripts/screenshot.py), not by where the checkout lies here.
                relative = crash.details.replace(f"{REPO}{os.sep}", "")
                reporter.notify(dataclasses.replace(crash, details=relative))

            def crash_shown() -> None:
                crashed = reporter.window
                if crashed is None:
                    QTimer.singleShot(100, crash_shown)
                    return
                crashed.toggle.click()

                def shoot_crash() -> None:
                    save(crashed.grab(), folder / "crash.png")
                    print(f"saved {folder}")
                    app.quit()

                QTimer.singleShot(300, shoot_crash)

            crash_shown()

        QTimer.singleShot(1_000, report_ready)

    def shoot_flashbuy() -> None:
        """Both new flash-buy windows over the stand-in stream preview, as a seller sees them."""
        window = console.window
        assert window is not None
        folder = Path(target)
        folder.mkdir(parents=True, exist_ok=True)
        window.new_full_flashbuy()

        def when_ready(then: Callable[[NewFlashBuyDialog], None]) -> None:
            dialog = window.new_dialog
            if dialog is None or dialog.captured_result() is None or not dialog._products_loaded:
                QTimer.singleShot(100, lambda: when_ready(then))
                return
            then(dialog)

        def full(dialog: NewFlashBuyDialog) -> None:
            dialog.price_edit.setText("1888")
            QTimer.singleShot(300, lambda: shot(dialog, "new-flashbuy-full.png", targeted))

        def shot(dialog: NewFlashBuyDialog, name: str, then: Callable[[], None]) -> None:
            save(dialog.grab(), folder / name)
            dialog.reject()
            QTimer.singleShot(300, then)

        def targeted() -> None:
            model = window.comments.model
            said = [model.comment(r) for r in range(model.rowCount())]
            asking = [c for c in said if "号" in c.text] or said
            asker = asking[-1]
            window.new_targeted_flashbuy(asker.viewer_id, asker.nickname, asker.text)
            when_ready(with_error)

        def with_error(dialog: NewFlashBuyDialog) -> None:
            dialog.price_edit.setText("12.345")
            QTimer.singleShot(300, lambda: shot(dialog, "new-flashbuy-targeted.png", done))

        def done() -> None:
            print(f"saved {folder}")
            app.quit()

        when_ready(full)

    def shoot() -> None:
        assert console.window is not None
        if windows:
            shoot_windows()
            return
        if flashbuy:
            shoot_flashbuy()
            return
        if desktop:  # the whole screen: the window and the capture frame beside it
            screen = app.primaryScreen()
            save(screen.grabWindow(0), Path(target))
        else:
            save(console.window.grab(), Path(target))
        print(f"saved {target}")
        app.quit()

    def ready() -> None:
        assert console.window is not None
        console.window.resize(1400, 820)
        if desktop:
            console.window.move(0, 0)
            console.frame.set_capture_rect(QRect(1420, 260, 480, 360))
        if flashbuy:  # the frame over the stand-in preview, the window beside it
            console.window.setGeometry(10, 40, 960, 760)
            console.frame.set_capture_rect(QRect(1040, 180, 820, 500))
        QTimer.singleShot(3_000, sell)  # let the room fill, then sell like a seller
        QTimer.singleShot(12_000, shoot)

    console.ready.connect(ready)
    console.failed.connect(lambda why: (print(why, file=sys.stderr), app.exit(1)))
    app.aboutToQuit.connect(console.shutdown)
    preview = None
    if flashbuy:  # the streaming software's preview, in a process of its own
        preview = subprocess.Popen(  # noqa: S603 (our own script)
            [
                sys.executable,
                str(REPO / "tests" / "desktop" / "stream_preview.py"),
                "1000",
                "120",
                "900",
                "620",
            ]
        )
    console.start()
    code = app.exec()
    if preview is not None:
        preview.terminate()
        preview.wait(10)
    data.cleanup()
    return code


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", nargs="?", default="main-window.png", help="file (or folder)")
    parser.add_argument("--desktop", action="store_true", help="the whole screen")
    parser.add_argument("--windows", action="store_true", help="settings, report, crash windows")
    parser.add_argument("--flashbuy", action="store_true", help="both new flash-buy windows")
    parser.add_argument("--language", choices=i18n.LANGUAGES, default="zh_CN")
    args = parser.parse_args()
    sys.exit(main(args.target, args.desktop, args.windows, args.language, args.flashbuy))
