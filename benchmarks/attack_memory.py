"""The platform's memory under an attack of large bodies and decode-heavy pictures: ours
against the code before the guard (a git revision), side by side.

Each variant is the real platform as an operator runs it (``python -m flashbuy_server
serve --demo``, SQLite in a scratch folder) in a process of its own; the older revision
runs from a ``git worktree`` of it, with the same interpreter and packages. Then, all at
once:

* ``--bodies`` (8) anonymous sign-ins, each promising ``--body-mb`` (100) MB and sending
  it as fast as the platform takes it, 1 MB a write;
* ``--pictures`` (8) uploads by the demo creator of a PNG of 4096x4096 RGBA: 64 KB as a
  file, 64 MB as pixels (each a little different, so none is a repeat).

Measured: the platform process's resident memory before the attack (``VmRSS``) and its
high-water mark after it (``VmHWM``, which the kernel keeps, so no peak is missed between
samples), the answers each kind of request got, and how long the attack took.
The issue's aim: the peak stays under 400 MB.

    python -m benchmarks.attack_memory [--before REV] [--bodies N] [--pictures N] [--body-mb MB]
"""

import argparse
import io
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections import Counter
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
DEMO_USER, DEMO_PASSWORD = "demo", "flashbuy-demo"
BLOCK = 1024 * 1024


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} for process {pid}")


def _png(seed: int) -> bytes:
    """A 4096x4096 RGBA PNG that is mostly zeros: tiny to send, 64 MB to decode."""
    import struct

    row = b"\x00" + bytes(4096 * 4)
    rows = bytearray(row * 4096)
    rows[1:5] = seed.to_bytes(4, "big")  # one pixel differs: no picture is a repeat
    out = io.BytesIO()
    out.write(b"\x89PNG\r\n\x1a\n")
    for kind, body in (
        (b"IHDR", struct.pack(">IIBBBBB", 4096, 4096, 8, 6, 0, 0, 0)),
        (b"IDAT", zlib.compress(bytes(rows), 9)),
        (b"IEND", b""),
    ):
        out.write(struct.pack(">I", len(body)) + kind + body)
        out.write(struct.pack(">I", zlib.crc32(kind + body)))
    return out.getvalue()


class Platform:
    """``python -m flashbuy_server serve --demo`` from ``source`` in a scratch folder."""

    def __init__(self, source: Path, scratch: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "PYTHONPATH": str(source),
            "FLASHBUY_DATA_DIR": str(scratch / "data"),
        }
        self.log = (scratch / "platform.log").open("w")
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
            [sys.executable, "-m", "flashbuy_server", "serve", "--demo", "--port", str(self.port)],
            cwd=scratch,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{self.url}/api/v1/health", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the platform did not start; see {self.log.name}")
            time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)
        self.log.close()


def _send_body(url: str, megabytes: int, answers: Counter[str]) -> None:
    host, port = url.removeprefix("http://").split(":")
    total = megabytes * BLOCK
    head = (
        "POST /api/v1/auth/sign-in HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Type: application/json\r\nContent-Length: {total}\r\n\r\n"
    ).encode()
    block = b'{"username": "' + b"a" * (BLOCK - 14)
    with socket.create_connection((host, int(port)), timeout=120) as sock:
        try:
            sock.sendall(head)
            for _ in range(megabytes):
                sock.sendall(block)
        except OSError:
            pass  # the platform stopped reading and closed: what it should do
        try:
            answer = sock.recv(4096).split(b"\r\n", 1)[0].decode(errors="replace")
        except OSError as exc:
            answer = type(exc).__name__
    answers[answer or "closed without an answer"] += 1


def _send_picture(url: str, token: str, data: bytes, answers: Counter[str]) -> None:
    resp = requests.post(
        f"{url}/api/v1/pictures",
        data=data,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "image/png"},
        timeout=300,
    )
    answers[f"{resp.status_code}"] += 1


def attack(source: Path, args: argparse.Namespace) -> dict[str, str]:
    with tempfile.TemporaryDirectory(prefix="attack-memory-") as scratch:
        platform = Platform(source, Path(scratch))
        try:
            signed = requests.post(
                f"{platform.url}/api/v1/auth/sign-in",
                json={"username": DEMO_USER, "password": DEMO_PASSWORD},
                timeout=30,
            )
            signed.raise_for_status()
            token = signed.json()["token"]
            pictures = [_png(i) for i in range(args.pictures)]
            before = _status_kb(platform.process.pid, "VmRSS")
            bodies: Counter[str] = Counter()
            uploads: Counter[str] = Counter()
            threads = [
                threading.Thread(target=_send_body, args=(platform.url, args.body_mb, bodies))
                for _ in range(args.bodies)
            ] + [
                threading.Thread(target=_send_picture, args=(platform.url, token, data, uploads))
                for data in pictures
            ]
            started = time.monotonic()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            took = time.monotonic() - started
            peak = _status_kb(platform.process.pid, "VmHWM")
        finally:
            platform.stop()
    return {
        "resident before": f"{before / 1024:.0f} MB",
        "peak resident": f"{peak / 1024:.0f} MB",
        "body answers": ", ".join(f"{n} x {a}" for a, n in sorted(bodies.items())),
        "picture answers": ", ".join(f"{n} x {a}" for a, n in sorted(uploads.items())),
        "attack took": f"{took:.1f} s",
    }


def _git(*args: str) -> None:
    subprocess.run(["git", "-C", str(ROOT), *args], check=True)  # noqa: S603, S607


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", default="f998fc9", help="the revision to compare with")
    parser.add_argument("--bodies", type=int, default=8)
    parser.add_argument("--pictures", type=int, default=8)
    parser.add_argument("--body-mb", type=int, default=100)
    args = parser.parse_args()
    print(
        f"{args.bodies} anonymous {args.body_mb} MB bodies + {args.pictures} PNGs of "
        f"4096x4096 at once; {os.cpu_count()} cores"
    )
    results = {}
    with tempfile.TemporaryDirectory(prefix="attack-before-") as tree:
        _git("worktree", "add", "--detach", "-q", tree, args.before)
        try:
            results[f"before ({args.before})"] = attack(Path(tree), args)
        finally:
            _git("worktree", "remove", "--force", tree)
    results["ours"] = attack(ROOT, args)
    rows = list(next(iter(results.values())))
    width = max(map(len, rows)) + 2
    print("".ljust(width) + "".join(name.ljust(34) for name in results))
    for row in rows:
        print(row.ljust(width) + "".join(r[row].ljust(34) for r in results.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
