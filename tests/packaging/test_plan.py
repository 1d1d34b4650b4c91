"""The build's plan: data files, hidden imports, the icon, and its trip through the spec."""

import sys
from pathlib import Path

from flashbuy_build import plan as build_plan
from flashbuy_build.plan import ICONS, REPO, Plan, data_files, migration_imports
from flashbuy_build.toc import drop_vendored_orphans
from flashbuy_build.trims import TRIMS


def test_the_migrations_and_resources_are_data_and_their_imports_hidden() -> None:
    datas = data_files()
    folders = {folder for _source, folder in datas}
    names = {Path(source).name for source, _folder in datas}
    assert "flashbuy_server/migrations" in folders
    assert "flashbuy_server/migrations/versions" in folders
    assert {"env.py", "script.py.mako"} <= names
    assert not any("__pycache__" in source for source, _folder in datas)
    for source in (REPO / "flashbuy_desktop" / "resources").rglob("*"):
        if source.is_file() and "__pycache__" not in source.parts:
            assert str(source) in {s for s, _f in datas}, source
    assert {"alembic.op", "sqlalchemy"} <= set(migration_imports())


def test_the_run_time_resources_go_in_and_the_sources_stay_out() -> None:
    folders = {folder for _source, folder in data_files()}
    assert "flashbuy_desktop/resources/translations" in folders
    assert "flashbuy_desktop/resources/icons" in folders
    sources = {Path(source).suffix for source, _folder in data_files()}
    assert ".ts" not in sources  # the translation sources are not the program's
    assert ".svg" not in sources


def test_the_program_icon_is_the_systems_own_kind() -> None:
    assert ICONS["win32"].suffix == ".ico"
    assert ICONS["darwin"].suffix == ".icns"
    for path in ICONS.values():
        assert path.is_file(), path
    assert build_plan.ICONS.get("linux") is None


def test_a_plan_survives_its_trip_to_the_spec() -> None:
    original = Plan(
        keep_all=False,
        excludes=("mypy",),
        trims=tuple(t for t in TRIMS if t.name in ("qt-wayland", "type-checkers")),
        hidden=("uvicorn.logging",),
        datas=(("/x/env.py", "flashbuy_server/migrations"),),
        windowed=True,
        icon=str(ICONS["win32"]),
    )
    assert Plan.from_json(original.to_json()) == original


def test_vendored_libraries_nothing_links_are_dropped_on_linux(tmp_path: Path) -> None:
    # Not ELF files: nothing links anything, so every vendored library is an orphan.
    lonely = tmp_path / "libfoo.so"
    lonely.write_bytes(b"not elf")
    vendored = ("pillow.libs/libfoo.so", str(lonely), "BINARY")
    extension = ("PIL/_imaging.so", str(lonely), "EXTENSION")
    kept, orphans = drop_vendored_orphans([vendored, extension])
    if sys.platform.startswith("linux"):
        assert orphans == ["pillow.libs/libfoo.so"]
        assert kept == [extension]
    else:
        assert (kept, orphans) == ([vendored, extension], [])


def test_the_card_readers_models_and_configs_are_data() -> None:
    """Every data file rapidocr's wheel installed (its RECORD, not a list of ours) goes in,
    into the folder rapidocr looks in, beside its modules."""
    import importlib.metadata

    given = {(Path(source).resolve(), folder) for source, folder in data_files()}
    records = [
        f
        for f in importlib.metadata.files("rapidocr") or []
        if f.suffix in (".onnx", ".yaml") and "__pycache__" not in f.parts
    ]
    assert len([f for f in records if f.suffix == ".onnx"]) >= 2, records
    for record in records:
        entry = (Path(str(record.locate())).resolve(), record.parent.as_posix())
        assert entry in given, record
    # Its code goes in the module archive, as every package's, not beside the models.
    assert not [s for s, f in data_files() if f.startswith("rapidocr") and s.endswith(".py")]


def test_links_to_a_vendored_orphan_go_with_it(tmp_path: Path) -> None:
    lonely = tmp_path / "libfoo.so"
    lonely.write_bytes(b"not elf")
    vendored = ("pillow.libs/libfoo.so", str(lonely), "BINARY")
    link = ("libfoo.so", "pillow.libs/libfoo.so", "SYMLINK")
    other = ("libbar.so", "PySide6/Qt/lib/libbar.so", "SYMLINK")
    kept, orphans = drop_vendored_orphans([vendored, link, other])
    if sys.platform.startswith("linux"):
        assert orphans == ["pillow.libs/libfoo.so", "libfoo.so"]
        assert kept == [other]
    else:
        assert (kept, orphans) == ([vendored, link, other], [])
