"""The console's languages: which one to show, and the Qt catalogs that show it.

Source strings are English (``self.tr("…")``); the package's ``resources/translations``
holds a compiled catalog per language (``flashbuy_<language>.qm``, package data), built by
``scripts/translations.py`` from the sources in the repository's ``resources/translations``
(``.ts``, which installs do not need). Qt's own catalog (``qtbase_<language>.qm``) is
installed beside ours, so the standard buttons of message boxes and the line edits' context
menus speak the same language.
"""

import logging
from importlib import resources

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

LANGUAGES: tuple[str, ...] = ("zh_CN", "en")
AUTO = "auto"

# The translators this module installed carry this name, so a later install() finds and
# replaces them (and no one else's).
_TRANSLATOR_NAME = "flashbuy-translator"


def resolve(choice: str, system: QLocale | None = None) -> str:
    """The language to show for a setting of ``choice`` ("auto", "zh_CN" or "en").

    "auto" is Chinese (zh_CN) wherever the system's locale is Chinese, whatever its
    script or region, and English everywhere else.
    """
    if choice in LANGUAGES:
        return choice
    if choice != AUTO:
        raise ValueError(
            f"unknown language {choice!r}: choose one of {', '.join((AUTO, *LANGUAGES))}"
        )
    locale = system if system is not None else QLocale.system()
    return "zh_CN" if locale.language() == QLocale.Language.Chinese else "en"


def catalog_dir() -> str:
    """The folder of the console's .qm catalogs (inside the installed package)."""
    return str(resources.files("flashbuy_desktop") / "resources" / "translations")


def install(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Show ``language`` from now on: our catalog and Qt's, replacing any installed before.

    The translators are children of ``app``, which keeps them alive as long as it lives.
    A catalog that cannot be loaded is logged and skipped: the console then shows the
    English source text rather than failing. Widgets built before the call keep their
    texts; the console installs its language before it builds any.
    """
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}: choose one of {', '.join(LANGUAGES)}")
    for old in app.findChildren(QTranslator, _TRANSLATOR_NAME):
        app.removeTranslator(old)
        old.setObjectName("")  # gone for the next install, even before it is deleted
        old.deleteLater()
    QLocale.setDefault(QLocale(language))

    installed: list[QTranslator] = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    # Qt asks the most recently installed translator first: ours, then Qt's own.
    for name, folder in ((f"qtbase_{language}", qt_dir), (f"flashbuy_{language}", catalog_dir())):
        translator = QTranslator(app)
        translator.setObjectName(_TRANSLATOR_NAME)
        if not translator.load(name, folder):
            log.warning("the %s catalog %s.qm was not found in %s", language, name, folder)
            translator.setObjectName("")
            translator.deleteLater()
            continue
        app.installTranslator(translator)
        installed.append(translator)
    return installed
