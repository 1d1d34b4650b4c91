"""The console's icon as Qt loads it: every painted size, from the installed package."""

from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from flashbuy_desktop.ui import app_icon as app_icon_module
from flashbuy_desktop.ui.app_icon import SIZES, app_icon, icon_dir


def test_the_icon_has_every_painted_size(qapp: QApplication) -> None:
    icon = app_icon()
    assert not icon.isNull()
    assert icon.availableSizes() == [QSize(s, s) for s in SIZES]
    for size in SIZES:
        path = Path(icon_dir()) / f"flashbuy_{size}.png"
        shown = (
            icon.pixmap(QSize(size, size))
            .toImage()
            .convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
        )
        assert shown.size() == QSize(size, size)
        assert shown == QImage(str(path)).convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)


def test_the_pictures_are_the_ones_scripts_icons_paints() -> None:
    # SIZES is written twice (here and in scripts/icons.py): the committed files hold them.
    found = sorted(int(p.stem.split("_")[1]) for p in Path(icon_dir()).glob("flashbuy_*.png"))
    assert found == list(SIZES)


def test_a_missing_picture_is_logged_never_fatal(
    qapp: QApplication,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(app_icon_module, "icon_dir", lambda: str(tmp_path))
    icon = app_icon()
    assert icon.availableSizes() == []
    assert "flashbuy_16.png was not found" in caplog.text
