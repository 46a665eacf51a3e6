"""A real `mmdsl serve` subprocess on a free loopback port, one per test module."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
MYELOMA = ROOT / "tables" / "myeloma_post_daratumumab.mmdsl"
NAME = "myeloma_post_daratumumab"
STARTUP_SECONDS = 60


@dataclass
class Server:
    url: str
    tables: Path
    feedback: Path
    log: Path
    process: subprocess.Popen[bytes]

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=120)  # the machine may be very busy


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def running_server(folder: Path) -> Iterator[Server]:
    tables = folder / "tables"
    # the one guideline, and the clinical sources its quotes are checked against
    shutil.copytree(MYELOMA.parent, tables, ignore=lambda where, names: [
        n for n in names if n.endswith(".mmdsl") and Path(where, n) != MYELOMA])
    port = free_port()
    log = folder / "server.log"
    feedback = folder / "feedback.jsonl"
    command = [sys.executable, "-c", "from mmdsl.cli import main; main()", "serve", str(tables),
               "--port", str(port), "--feedback-log", str(feedback)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=folder)
    server = Server(f"http://127.0.0.1:{port}", tables, feedback, log, process)
    try:
        wait_until_up(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_up(server: Server) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"mmdsl serve exited: {server.log.read_text('utf-8')}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{server.url}/health", timeout=2).status_code == 200:
                return
        time.sleep(0.1)
    pytest.fail(f"mmdsl serve did not answer within {STARTUP_SECONDS} s: {server.log.read_text('utf-8')}")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("serve")) as running:
        yield running
