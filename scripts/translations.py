"""The console's translation catalogs: update them from the code, build them, check them.

    .venv/bin/python scripts/translations.py update   # strings in the code -> the .ts files
    .venv/bin/python scripts/translations.py build    # the .ts files -> the .qm files
    .venv/bin/python scripts/translations.py check    # exit 1 if either is out of date
    .venv/bin/python scripts/translations.py todo     # unfinished zh_CN strings, as a table
    .venv/bin/python scripts/translations.py fill T   # update, translate from table T, build

Source strings are English, in ``self.tr("…")``, ``QCoreApplication.translate("Context",
"…")`` and ``QT_TRANSLATE_NOOP("Context", "…")`` anywhere under flashbuy_desktop/.
``update`` runs the venv's PySide6 lupdate over them into
resources/translations/flashbuy_<language>.ts (the sources, outside the package), keeping
every translation already made and dropping strings the code no longer has. New zh_CN
strings arrive unfinished, to be translated (pyside6-linguist, or any editor). In the en
catalog a string is its own translation, so update fills those in, except plural forms (``%n``),
which need a singular and a plural written by hand. ``build`` runs lrelease into the .qm
files the console loads, flashbuy_desktop/resources/translations/flashbuy_<language>.qm
(package data: pip installs and the PyInstaller build carry them, the sources stay out);
both kinds of file are committed.

``check`` fails, saying what to do, when the .ts files differ from what ``update`` would
write (a string added, changed or removed in the code), when a zh_CN string or an en
plural is unfinished, when a translation drops or renames a ``{placeholder}`` (``format``
would raise), or when a .qm file is not what ``build`` would make of its .ts.

``todo`` prints each unfinished zh_CN string as a line ``context<TAB>source<TAB>``; ``fill``
takes such lines with the Chinese after the second tab (``\\n`` for a line break, ``#``
starts a comment line), runs update, writes those translations and builds. Every command
that writes the catalogs holds one lock, so several people adding strings at once in one
checkout never lose each other's work.
"""

import argparse
import contextlib
import fcntl
import hashlib
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import PySide6

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "flashbuy_desktop"
SOURCES = REPO / "resources" / "translations"  # the .ts files people translate
CATALOGS = PACKAGE / "resources" / "translations"  # the .qm files the console loads
LANGUAGES = ("zh_CN", "en")  # as flashbuy_desktop.services.i18n.LANGUAGES (checked by its tests)
SOURCE_LANGUAGE = "en"
FIELD = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")


def ts_path(language: str, folder: Path = SOURCES) -> Path:
    """The translation source of ``language``."""
    return folder / f"flashbuy_{language}.ts"


def qm_path(language: str, folder: Path = CATALOGS) -> Path:
    """The compiled catalog of ``language``."""
    return folder / f"flashbuy_{language}.qm"


def _tool(name: str) -> Path:
    """A Qt tool shipped in the PySide6 wheel this interpreter imports."""
    folder = Path(PySide6.__file__).resolve().parent
    exe = folder / (f"{name}.exe" if sys.platform == "win32" else name)
    if not exe.exists():
        raise SystemExit(f"{exe} is missing: install the PySide6 of pyproject.toml into this venv")
    return exe


def _run(args: Sequence[str | Path]) -> None:
    done = subprocess.run(  # noqa: S603 (our own arguments, no shell)
        [str(a) for a in args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{Path(args[0]).name} failed:\n{done.stdout}{done.stderr}")


def sources() -> list[Path]:
    """Every Python file of the console, in a stable order."""
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


# --- reading a catalog --------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    """One string of a catalog, as the check compares them."""

    context: str
    source: str
    comment: str
    numerus: bool
    finished: bool
    translations: tuple[str, ...]

    @property
    def key(self) -> tuple[str, str, str]:
        return self.context, self.source, self.comment

    def where(self) -> str:
        said = f"{self.context}: {self.source!r}"
        return f"{said} ({self.comment})" if self.comment else said


def read(path: Path) -> list[Message]:
    """The messages of a .ts file (obsolete ones included, marked unfinished)."""
    messages = []
    for context in ET.parse(path).getroot().iter("context"):  # noqa: S314 (our own files)
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            kind = translation.get("type", "")
            forms = translation.findall("numerusform")
            texts = tuple(f.text or "" for f in forms) if forms else (translation.text or "",)
            messages.append(
                Message(
                    context=name,
                    source=message.findtext("source", ""),
                    comment=message.findtext("comment", ""),
                    numerus=message.get("numerus") == "yes",
                    finished=kind not in ("unfinished", "obsolete", "vanished") and all(texts),
                    translations=texts,
                )
            )
    return messages


# --- update and build ---------------------------------------------------------------------


def _fill_english(path: Path) -> None:
    """In the en catalog a string is its own translation (plural forms excepted)."""
    tree = ET.parse(path)  # noqa: S314 (our own files)
    changed = False
    for message in tree.getroot().iter("message"):
        translation = message.find("translation")
        if translation is None or message.get("numerus") == "yes":
            continue
        if translation.get("type") == "unfinished":
            translation.text = message.findtext("source", "")
            del translation.attrib["type"]
            changed = True
    if changed:
        tree.write(path, encoding="utf-8", xml_declaration=True)


def update(folder: Path = SOURCES) -> None:
    """Bring the .ts files in ``folder`` up to date with the code."""
    folder.mkdir(parents=True, exist_ok=True)
    lupdate = _tool("lupdate")
    files = sources()
    for language in LANGUAGES:
        ts = ts_path(language, folder)
        common = ["-silent", "-locations", "none", "-no-obsolete"]
        languages = ["-source-language", SOURCE_LANGUAGE, "-target-language", language]
        _run([lupdate, *common, *languages, *files, "-ts", ts])
        if language == SOURCE_LANGUAGE:
            _fill_english(ts)
            _run([lupdate, *common, *languages, *files, "-ts", ts])  # lupdate's own layout


def build(ts_folder: Path = SOURCES, qm_folder: Path = CATALOGS) -> None:
    """Compile each .ts file in ``ts_folder`` into a .qm file in ``qm_folder``."""
    lrelease = _tool("lrelease")
    for language in LANGUAGES:
        _run(
            [lrelease, "-silent", ts_path(language, ts_folder), "-qm", qm_path(language, qm_folder)]
        )


# --- check --------------------------------------------------------------------------------


def problems() -> list[str]:
    """Everything that makes the catalogs wrong for the code as it is now (empty: fine)."""
    found: list[str] = []
    missing = [p for lang in LANGUAGES for p in (ts_path(lang), qm_path(lang)) if not p.exists()]
    if missing:
        names = ", ".join(p.name for p in missing)
        return [f"missing: {names} (run: scripts/translations.py update, translate, build)"]
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch)
        for language in LANGUAGES:
            shutil.copy(ts_path(language), ts_path(language, fresh))
        update(fresh)
        for language in LANGUAGES:
            committed = {m.key: m for m in read(ts_path(language))}
            wanted = {m.key: m for m in read(ts_path(language, fresh))}
            for key in wanted.keys() - committed.keys():
                found.append(
                    f"{language}: new in the code, not in the catalog: {wanted[key].where()}"
                )
            for key in committed.keys() - wanted.keys():
                found.append(
                    f"{language}: in the catalog, gone from the code: {committed[key].where()}"
                )
            for key in committed.keys() & wanted.keys():
                if committed[key] != wanted[key]:
                    found.append(f"{language}: update would change {committed[key].where()}")
        build(qm_folder=fresh)
        for language in LANGUAGES:
            if qm_path(language).read_bytes() != qm_path(language, fresh).read_bytes():
                found.append(
                    f"{qm_path(language).name} is not built from its .ts "
                    "(run: scripts/translations.py build)"
                )
    for language in LANGUAGES:
        for message in read(ts_path(language)):
            if not message.finished:
                # en shows the source where it has no translation, except for plural forms.
                if language != SOURCE_LANGUAGE or message.numerus:
                    found.append(f"{language}: not translated: {message.where()}")
                continue
            for text in message.translations:
                if sorted(FIELD.findall(text)) != sorted(FIELD.findall(message.source)):
                    found.append(
                        f"{language}: placeholders differ from the source in "
                        f"{text!r} for {message.where()}"
                    )
                fields = {field[1:-1]: "" for field in FIELD.findall(message.source)}
                if fields:  # the code calls .format on it: a stray brace would raise there
                    try:
                        text.format(**fields)
                    except (ValueError, KeyError, IndexError) as exc:
                        found.append(
                            f"{language}: {text!r} cannot be formatted ({exc}) for "
                            f"{message.where()}"
                        )
                if message.numerus and "%n" not in text:
                    found.append(
                        f"{language}: a plural form without %n: {text!r} for {message.where()}"
                    )
    return found


def check() -> int:
    """Print what is wrong with the catalogs; 1 if anything is, else 0."""
    found = problems()
    if not found:
        print("translations: the catalogs match the code, zh_CN is complete, the .qm are built")
        return 0
    print(f"translations: {len(found)} problem(s):", file=sys.stderr)
    for line in sorted(found):
        print(f"  - {line}", file=sys.stderr)
    print(
        "fix: scripts/translations.py update; translate the unfinished strings in the .ts"
        " (e.g. pyside6-linguist); scripts/translations.py build",
        file=sys.stderr,
    )
    return 1


# --- translating from a table -------------------------------------------------------------


@contextlib.contextmanager
def catalog_lock() -> Iterator[None]:
    """Hold this checkout's catalog lock (one writer of the .ts and .qm files at a time).

    Named after the .qm folder, as it always was, so that a copy of this script from before
    the .ts files moved out of the package waits on the same lock.
    """
    name = hashlib.sha256(str(CATALOGS).encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"flashbuy-translations-{name}.lock"
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), text)


def todo() -> list[str]:
    """The unfinished zh_CN strings, one table line each (context, source, empty)."""
    return [
        f"{_escape(m.context)}\t{_escape(m.source)}\t"
        for m in read(ts_path("zh_CN"))
        if not m.finished and not m.numerus
    ]


def fill(table: Path) -> list[str]:
    """Write the zh_CN translations of ``table`` into the catalog; the lines not used."""
    wanted: dict[tuple[str, str], str] = {}
    for line in table.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        context, source, translation = line.split("\t", 2)
        if translation.strip():
            wanted[_unescape(context), _unescape(source)] = _unescape(translation)
    path = ts_path("zh_CN")
    tree = ET.parse(path)  # noqa: S314 (our own files)
    used: set[tuple[str, str]] = set()
    for group in tree.getroot().iter("context"):
        name = group.findtext("name", "")
        for message in group.iter("message"):
            key = (name, message.findtext("source", ""))
            target = message.find("translation")
            if key not in wanted or target is None or message.get("numerus") == "yes":
                continue
            target.text = wanted[key]
            target.attrib.pop("type", None)
            used.add(key)
    tree.write(path, encoding="utf-8", xml_declaration=True)
    return [f"{c}: {s!r}" for c, s in wanted.keys() - used]


def main(argv: Sequence[str] | None = None) -> int:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("update", "build", "check", "todo", "fill"))
    parser.add_argument("table", nargs="?", type=Path, help="fill: the translations table")
    args = parser.parse_args(argv)
    if args.command in ("update", "build", "fill"):
        with catalog_lock():
            return _write(args.command, args.table)
    if args.command == "todo":
        with catalog_lock():
            update()
            print("\n".join(todo()))
        return 0
    return check()


def _write(command: str, table: Path | None) -> int:
    if command == "fill":
        if table is None:
            raise SystemExit("fill needs a table: scripts/translations.py fill FILE")
        update()
        for line in fill(table):
            print(f"not in the code (left alone): {line}", file=sys.stderr)
        update()  # lupdate's own layout
        build()
        unfinished = [m for m in read(ts_path("zh_CN")) if not m.finished]
        print(f"filled and built; {len(unfinished)} zh_CN string(s) still to translate")
        return 0
    if command == "update":
        update()
        unfinished = [m for m in read(ts_path("zh_CN")) if not m.finished]
        print(f"updated; {len(unfinished)} zh_CN string(s) to translate")
        return 0
    build()
    return 0


if __name__ == "__main__":
    sys.exit(main())
