"""A bounded load run against `mmdsl serve` (issue 17 item 4), from a local client on loopback.

    python -m benchmarks.serve_load                      # 10,000 requests to each endpoint
    python -m benchmarks.serve_load --requests 500       # a smaller run

A real `mmdsl serve tables/` process on a free 127.0.0.1 port; a few client threads, each with
its own keep-alive connection, send the worked examples' facts in turn: N requests to the JSON
API (`POST /guidelines/NAME/decisions`) and N to the CDS Hooks service (a QuestionnaireResponse
prefetched). Every answer is checked (the JSON API's body byte for byte against the decision,
the hook's status and card); any other answer counts as an error. Bounded in count and in time
(each endpoint stops at its deadline and says so). The server's resident memory (VmRSS) is read
from /proc after start, after a warm-up and after the run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "tables" / "myeloma_post_daratumumab.mmdsl"
NAME = TABLE.stem
STARTUP_SECONDS = 120
WARM_UP = 1000  # requests to each endpoint before memory is read as "before"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _payloads() -> tuple[list[tuple[bytes, bytes]], list[bytes]]:
    """(facts, expected decision bytes) per worked example; a hook request per example."""
    import mmdsl
    from mmdsl.fhir.names import DEFAULT_BASE
    from mmdsl.fhir.resources import questionnaire
    from mmdsl.pipeline import published
    from mmdsl.runtime.prelude import decision_json

    guideline = mmdsl.load(TABLE)
    form = questionnaire(published(guideline.ir), DEFAULT_BASE)
    api, hooks = [], []
    for example in guideline.ir.examples:
        expected = (decision_json(guideline.evaluate(example.facts)) + "\n").encode()
        api.append((json.dumps(example.facts).encode(), expected))
        hooks.append(json.dumps({"hook": "patient-view", "hookInstance": example.name,
                                 "context": {"patientId": "1"},
                                 "prefetch": {"questionnaireResponse": _response(form, example.facts)}
                                 }).encode())
    return api, hooks


def _response(form: dict[str, Any], facts: dict[str, Any]) -> dict[str, Any]:
    keys = {"boolean": "valueBoolean", "integer": "valueInteger", "decimal": "valueDecimal",
            "string": "valueString"}
    items = []
    for question in form["item"]:
        if question["linkId"] not in facts:
            continue
        value = facts[question["linkId"]]
        values = value if isinstance(value, list) else [value]
        answers = [{"valueCoding": {"code": v}} if question["type"] == "choice"
                   else {keys[question["type"]]: v} for v in values]
        if answers:
            items.append({"linkId": question["linkId"], "answer": answers})
    return {"resourceType": "QuestionnaireResponse", "status": "completed", "item": items}


def _load(url: str, bodies: list[bytes], check: Any, requests: int, clients: int,
          seconds: float) -> dict[str, Any]:
    """`requests` POSTs spread over `clients` threads, stopped at the deadline."""
    import httpx

    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors: list[str] = []
    deadline = time.monotonic() + seconds

    def client(index: int) -> None:
        with httpx.Client(timeout=30) as http:
            for number in range(index, requests, clients):
                if time.monotonic() > deadline:
                    return
                body = bodies[number % len(bodies)]
                started = time.perf_counter()
                try:
                    answer = http.post(url, content=body, headers={"content-type": "application/json"})
                    problem = check(number % len(bodies), answer)
                except httpx.HTTPError as error:
                    problem = f"{type(error).__name__}: {error}"
                latencies[index].append(time.perf_counter() - started)
                if problem:
                    errors.append(problem)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    done = sorted(x for per in latencies for x in per)
    return {"requests": len(done), "asked": requests, "errors": len(errors),
            "first errors": errors[:3], "seconds": wall, "per second": len(done) / wall,
            "p50 ms": statistics.median(done) * 1000 if done else float("nan"),
            "p99 ms": done[min(len(done) - 1, int(len(done) * 0.99))] * 1000 if done else float("nan"),
            "stopped at deadline": len(done) < requests}


def run(requests: int = 10_000, clients: int = 4, seconds: float = 180.0) -> dict[str, Any]:
    import httpx

    api, hooks = _payloads()
    folder = Path(tempfile.mkdtemp(prefix="mmdsl-serve-load-"))
    tables = folder / "tables"
    shutil.copytree(TABLE.parent, tables)  # the table files and the clinical sources they quote
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-c", "from mmdsl.cli import main; main()", "serve", str(tables),
               "--port", str(port), "--feedback-log", str(folder / "feedback.jsonl")]
    log = (folder / "server.log").open("wb")
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=folder,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        _wait(base, server)
        found: dict[str, Any] = {"clients": clients, "requests": requests,
                                 "rss at start MiB": _rss_mib(server.pid)}

        def check_api(index: int, answer: httpx.Response) -> str:
            ok = answer.status_code == 200 and answer.content == api[index][1]
            return "" if ok else f"JSON API {answer.status_code}: {answer.text[:100]}"

        def check_hook(index: int, answer: httpx.Response) -> str:
            ok = answer.status_code == 200 and len(answer.json()["cards"]) == 1
            return "" if ok else f"CDS Hooks {answer.status_code}: {answer.text[:100]}"

        api_url, hook_url = f"{base}/guidelines/{NAME}/decisions", f"{base}/cds-services/{NAME}"
        bodies = [facts for facts, _ in api]
        warm_up = min(WARM_UP, requests)
        _load(api_url, bodies, check_api, warm_up, clients, seconds)
        _load(hook_url, hooks, check_hook, warm_up, clients, seconds)
        found["warm-up"] = warm_up
        found["rss after warm-up MiB"] = _rss_mib(server.pid)
        found["JSON API"] = _load(api_url, bodies, check_api, requests, clients, seconds)
        found["rss after the JSON API MiB"] = _rss_mib(server.pid)
        found["CDS Hooks"] = _load(hook_url, hooks, check_hook, requests, clients, seconds)
        found["rss after MiB"] = _rss_mib(server.pid)
        return found
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


def _wait(base: str, server: subprocess.Popen[bytes]) -> None:
    import httpx

    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("mmdsl serve exited at start")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"mmdsl serve did not answer within {STARTUP_SECONDS} s")


def markdown(found: dict[str, Any], command: str) -> str:
    """The report's section for one load run."""
    if "JSON API" not in found:
        return ""
    rows = []
    for name, path in (("JSON API", f"POST /guidelines/{NAME}/decisions"),
                       ("CDS Hooks", f"POST /cds-services/{NAME}")):
        r = found[name]
        stopped = " (stopped at its deadline)" if r["stopped at deadline"] else ""
        rows.append(f"| {name}: `{path}` | {r['requests']:,} of {r['asked']:,}{stopped} | "
                    f"{r['errors']} | {r['per second']:.0f} | {r['p50 ms']:.1f} ms | "
                    f"{r['p99 ms']:.1f} ms |")
    start, warm, middle, after = (found["rss at start MiB"], found["rss after warm-up MiB"],
                                  found["rss after the JSON API MiB"], found["rss after MiB"])
    total = found["JSON API"]["requests"] + found["CDS Hooks"]["requests"]
    table = "\n".join(rows)
    return f"""## Serving decisions (`mmdsl serve`)

A real `mmdsl serve tables/` process on 127.0.0.1 and {found['clients']} client threads on the
same machine (httpx, one keep-alive connection each), measured by `{command}`. The requests
cycle through the worked examples' facts; every answer is checked (the JSON API's body byte for
byte against the decision, the hook's status and card) and any other answer is an error.

| endpoint | requests | errors | requests/s | p50 latency | p99 latency |
| --- | --- | --- | --- | --- | --- |
{table}

Server memory (VmRSS): {start:.1f} MiB after start; {warm:.1f} MiB after a warm-up of
{found['warm-up']:,} requests to each endpoint; {middle:.1f} MiB after the JSON API's requests;
{after:.1f} MiB after the CDS Hooks requests ({after - warm:+.1f} MiB over {total:,} requests).
Client and server share the machine's cores, so the rate is a floor for a server alone.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=10_000, help="requests to each endpoint")
    parser.add_argument("--clients", type=int, default=4, help="concurrent client threads")
    parser.add_argument("--seconds", type=float, default=180.0, help="deadline per endpoint")
    args = parser.parse_args(argv)
    found = run(args.requests, args.clients, args.seconds)
    command = "python -m benchmarks.serve_load"
    if args.requests != 10_000:
        command += f" --requests {args.requests}"
    print(markdown(found, command))
    endpoints = [found["JSON API"], found["CDS Hooks"]]
    return 1 if any(e["errors"] or e["stopped at deadline"] for e in endpoints) else 0


if __name__ == "__main__":
    sys.exit(main())
