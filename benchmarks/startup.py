"""The packaged console: the built folder's size, and its time to a shown window beside the source.

Builds the console with ``build_spec.py`` twice, trimmed and untrimmed (``--keep-all``), into
a temporary folder, or measures folders built before (``--trimmed DIR``, ``--untrimmed DIR``:
each the ``dist/flashbuy`` folder). ``--before DIR`` adds a trimmed build of an earlier commit
(made in a worktree of it, with the same virtualenv) to compare with: it is run alongside the
others and a second table puts it beside this tree's trimmed build. Then, for each build and
for the source (``.venv/bin/python -m flashbuy_desktop``):

* the folder's size (MB) and file count, and what each of build_spec's trim rules saves,
  measured on the untrimmed folder's files (rules that leave out pure-Python modules save
  inside the program's module archive: that shows only in the totals);
* ``--quit-when-shown`` (the console as a seller starts it, quitting once its main window is
  on screen) run ``--runs`` times (5) under ``/usr/bin/time``: the time to a shown window;
* ``--self-check`` run ``--runs`` times (5) under ``/usr/bin/time``, after one warm-up run
  each (so all three read their files from the page cache), interleaved so that load on the
  machine falls on all three alike, each run with a scratch HOME. Reported: the median of
  /usr/bin/time's elapsed time (the whole self-check: start, window, checks, quit) and its
  peak memory, and the medians of the self-check's own figures: process start -> main window
  shown (the process start read from the OS), and of that, the part before the check's code
  ran (interpreter, imports) and from there to the window (embedded platform, demo,
  sign-in, window); and, where the self-check reads a card, its ``card_read`` figures: the
  card reader's model load and one read (ms, on a worker after the window showed).

Aim: at most 200 MB, and the main window within 2 s of the start.

    xvfb-run -a -s "-screen 0 1920x1080x24" python -m benchmarks.startup [--runs 5]

    # before vs after: a trimmed build of an earlier commit beside this tree's
    git worktree add /tmp/before <commit> && (cd /tmp/before && \
        ../path/to/.venv/bin/python build_spec.py --dist /tmp/before-dist --work /tmp/before-w)
    xvfb-run ... python -m benchmarks.startup --before /tmp/before-dist/flashbuy
    git worktree remove --force /tmp/before && git worktree prune
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import build_spec
from benchmarks._common import cores_line, scratch_env, text_table
from flashbuy_build.plan import psycopg_needed
from flashbuy_build.trims import STRIP, rule_savings

REPO = Path(__file__).resolve().parent.parent
AIM_MB = 200
AIM_WINDOW_S = 2.0
RUN_TIMEOUT_S = 120
TIME = "/usr/bin/time"
BEFORE = "before (trimmed)"
TRIMMED = "packaged (trimmed)"


@dataclass
class Subject:
    """One way of running the console, and what was measured of it."""

    name: str
    command: list[str]
    folder: Path | None = None  # the built folder; None for the source
    build_s: float | None = None
    elapsed_s: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)
    window_ms: list[float] = field(default_factory=list)
    shown_s: list[float] = field(default_factory=list)  # /usr/bin/time of --quit-when-shown
    before_check_ms: list[float] = field(default_factory=list)
    check_to_window_ms: list[float] = field(default_factory=list)
    card_load_ms: list[float] = field(default_factory=list)  # the self-check's card_read
    card_read_ms: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def build(dist: Path, work: Path, keep_all: bool) -> float:
    """Build into ``dist`` with build_spec.py (as a user would, in a process of its own)."""
    began = time.monotonic()
    command = [
        sys.executable,
        str(REPO / "build_spec.py"),
        "--dist",
        str(dist),
        "--work",
        str(work),
    ]
    if keep_all:
        command.append("--keep-all")
    subprocess.run(command, cwd=REPO, check=True, timeout=1800)  # noqa: S603 - our own script
    return time.monotonic() - began


def timed(
    subject: Subject, scratch: Path, flag: str
) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """``subject.command flag`` under /usr/bin/time in a fresh scratch HOME.

    The process, and /usr/bin/time's figures: elapsed seconds and peak memory (KiB).
    """
    home = Path(tempfile.mkdtemp(prefix="home-", dir=scratch))
    timing = home / "time.txt"
    try:
        done = subprocess.run(  # noqa: S603 - /usr/bin/time and our own program
            [TIME, "-f", "%e %M", "-o", str(timing), *subject.command, flag],
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT_S,
            cwd=REPO,
            env=scratch_env(home),
            check=False,
        )
        figures = timing.read_text().split()[-2:] if timing.exists() else []
        return done, figures
    finally:
        shutil.rmtree(home, ignore_errors=True)


def run_to_window(subject: Subject, scratch: Path, record: bool) -> None:
    """``flashbuy --quit-when-shown``: process start to the main window.

    The console as a seller starts it (settings, log, embedded demo platform, sign-in), in a
    fresh scratch HOME, so the demo is prepared from nothing each time.
    """
    done, figures = timed(subject, scratch, "--quit-when-shown")
    if done.returncode != 0:
        subject.failures.append(f"exit {done.returncode}: {done.stderr.strip()[-300:]}")
        return
    if record:
        subject.shown_s.append(float(figures[0]))


def run_once(subject: Subject, scratch: Path, record: bool) -> None:
    """One ``--self-check``: its report's figures, and /usr/bin/time's."""
    done, figures = timed(subject, scratch, "--self-check")
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    report = json.loads(lines[-1]) if lines else None
    if done.returncode != 0 or report is None or not report["ok"]:
        failed = report["failed"] if report else done.stderr.strip().splitlines()[-3:]
        subject.failures.append(f"exit {done.returncode}: {failed}")
        return
    if not record:
        return
    elapsed, peak_kb = figures
    subject.elapsed_s.append(float(elapsed))
    subject.peak_mb.append(int(peak_kb) / 1024)
    timings = report["timings_ms"]
    subject.window_ms.append(timings["process_start_to_window"])
    subject.before_check_ms.append(timings["process_start_to_check"])
    subject.check_to_window_ms.append(timings["check_to_window"])
    card = report["checks"].get("card_read")
    if card is not None:  # a build from before the card reader has no such check
        subject.card_load_ms.append(card["load_ms"])
        subject.card_read_ms.append(card["read_ms"])


def median(values: list[float], fmt: str) -> str:
    return format(statistics.median(values), fmt) if values else "-"


def compare(before: Subject, after: Subject) -> list[list[str]]:
    """The trimmed build before and after, figure by figure (medians), with the change."""
    sizes = [build_spec.folder_size(s.folder) if s.folder else (0, 0) for s in (before, after)]
    rows: list[tuple[str, float | None, float | None, str]] = [
        ("size MB", sizes[0][0] / 1e6, sizes[1][0] / 1e6, ".1f"),
        ("files", sizes[0][1], sizes[1][1], ".0f"),
    ]
    for label, attribute, fmt in (
        ("to window s (time)", "shown_s", ".2f"),
        ("start->window ms (self-check)", "window_ms", ".0f"),
        ("self-check s (time)", "elapsed_s", ".2f"),
        ("peak MB", "peak_mb", ".0f"),
        ("card load ms", "card_load_ms", ".0f"),
        ("card read ms", "card_read_ms", ".0f"),
    ):
        values: list[list[float]] = [getattr(s, attribute) for s in (before, after)]
        medians = [statistics.median(v) if v else None for v in values]
        rows.append((label, medians[0], medians[1], fmt))
    grid = [["trimmed build", "before", "after", "change"]]
    for label, old, new, fmt in rows:
        change = "-"
        if old is not None and new is not None:
            change = format(new - old, "+" + fmt)
            if old:
                change += f" ({(new - old) / old:+.0%})"
        grid.append(
            [
                label,
                format(old, fmt) if old is not None else "-",
                format(new, fmt) if new is not None else "-",
                change,
            ]
        )
    return grid


def report(subjects: list[Subject], untrimmed: Path | None, runs: int) -> int:
    print(f"\n{cores_line()}; {runs} runs each after a warm-up; medians\n")
    grid = [["", "size MB", "files", "program MB", "build s", "to window s (time)"]]
    grid[0] += ["self-check s (time)", "peak MB", "start->window ms", "start->check ms"]
    grid[0] += ["check->window ms", "card load ms", "card read ms"]
    for s in subjects:
        size, count = build_spec.folder_size(s.folder) if s.folder else (0, 0)
        # The program file holds the bootloader and the archive of pure-Python modules.
        program = (s.folder / "flashbuy").stat().st_size if s.folder else 0
        grid.append(
            [
                s.name,
                f"{size / 1e6:.1f}" if s.folder else "-",
                str(count) if s.folder else "-",
                f"{program / 1e6:.1f}" if s.folder else "-",
                f"{s.build_s:.0f}" if s.build_s is not None else "-",
                median(s.shown_s, ".2f"),
                median(s.elapsed_s, ".2f"),
                median(s.peak_mb, ".0f"),
                median(s.window_ms, ".0f"),
                median(s.before_check_ms, ".0f"),
                median(s.check_to_window_ms, ".0f"),
                median(s.card_load_ms, ".0f"),
                median(s.card_read_ms, ".0f"),
            ]
        )
    print(text_table(grid))
    before = next((s for s in subjects if s.name == BEFORE), None)
    after = next((s for s in subjects if s.name == TRIMMED), None)
    if before is not None and after is not None:
        print()
        print(text_table(compare(before, after)))
    if untrimmed is not None:
        contents = untrimmed / "_internal"
        psycopg_stays = psycopg_needed()
        rows = [["trim rule (files of the untrimmed folder)", "saves MB", "files", "applied"]]
        for name, size, count in rule_savings(contents):
            applied = (
                "no: the platform imports it" if name == "psycopg" and psycopg_stays else "yes"
            )
            saves = f"{size / 1e6:.1f}" if count else "(in program)"
            rows.append([name, saves, str(count), applied])
        print()
        print(text_table(rows))
        print(f"(and on Linux {STRIP}: the trimmed build's binaries lose their")
        print(" debugging symbols; build_spec.py prints how much)")
    trimmed = next((s for s in subjects if s.name == TRIMMED), None)
    failed = [s for s in subjects if s.failures]
    for s in failed:
        print(f"\n{s.name}: {len(s.failures)} failed self-checks: {s.failures[:3]}")
    if trimmed is not None and trimmed.folder is not None and trimmed.shown_s:
        size_mb = build_spec.folder_size(trimmed.folder)[0] / 1e6
        window_s = statistics.median(trimmed.shown_s)
        print(
            f"\naim: at most {AIM_MB} MB: {size_mb:.0f} MB "
            f"({'met' if size_mb <= AIM_MB else 'not met'}); main window within "
            f"{AIM_WINDOW_S:.0f} s: {window_s:.2f} s "
            f"({'met' if window_s <= AIM_WINDOW_S else 'not met'})"
        )
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="measured runs of each (5)")
    parser.add_argument("--trimmed", type=Path, help="a trimmed build's folder (dist/flashbuy)")
    parser.add_argument("--untrimmed", type=Path, help="an untrimmed build's folder")
    parser.add_argument(
        "--before", type=Path, help="a trimmed build of an earlier commit, to compare with"
    )
    args = parser.parse_args()
    if not 1 <= args.runs <= 50:
        parser.error("--runs 1..50")
    for folder in (args.trimmed, args.untrimmed, args.before):
        if folder is not None and not (folder / "flashbuy").is_file():
            parser.error(f"{folder} holds no built console (no flashbuy program in it)")
    if not os.environ.get("DISPLAY"):
        print("needs an X server: run under xvfb-run -a -s '-screen 0 1920x1080x24'")
        return 2
    if not Path(TIME).is_file():
        print(f"needs {TIME} (Debian: apt-get install time)")
        return 2
    with tempfile.TemporaryDirectory(prefix="flashbuy-startup-") as tmp:
        scratch = Path(tmp)
        subjects: list[Subject] = []
        if args.before is not None:
            folder = args.before.resolve()
            subjects.append(Subject(BEFORE, [str(folder / "flashbuy")], folder))
        for name, given, keep_all in (
            (TRIMMED, args.trimmed, False),
            ("packaged (untrimmed)", args.untrimmed, True),
        ):
            build_s = None
            if given is None:
                label = "untrimmed" if keep_all else "trimmed"
                print(f"building the {label} console...", flush=True)
                build_s = build(scratch / label, scratch / f"work-{label}", keep_all)
                given = scratch / label / "flashbuy"
            folder = given.resolve()
            subjects.append(Subject(name, [str(folder / "flashbuy")], folder, build_s))
        subjects.append(Subject("source", [sys.executable, "-m", "flashbuy_desktop"]))
        print(f"running each {args.runs} times (+1 warm-up), interleaved...", flush=True)
        for run in range(args.runs + 1):
            for subject in subjects:
                run_to_window(subject, scratch, record=run > 0)
                run_once(subject, scratch, record=run > 0)
        untrimmed = next(s.folder for s in subjects if s.name == "packaged (untrimmed)")
        return report(subjects, untrimmed, args.runs)


if __name__ == "__main__":
    sys.exit(main())
