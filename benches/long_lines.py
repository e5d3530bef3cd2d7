#!/usr/bin/env python3
"""Times the long-line cases of issue 21 (docs/reliability.md, "Long lines"): each
case on one long line and the same text spread over lines, through the real binary.

    benches/long_lines.py target/release/journey

Prints a Markdown table: seconds (wall clock) and peak resident memory of each run;
for `serve`, the size of the error page and of what it printed on standard error.
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

JOURNEY = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "target/release/journey")


def run(args, stdin=None):
    """Seconds and peak resident MB of `journey args`, its output discarded."""
    start = time.perf_counter()
    p = subprocess.Popen([JOURNEY, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(p.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def duplicates(n, width):
    """`n` declarations of the same persona, each padded to `width` bytes."""
    one = 'persona p "P"'
    return [one + " " * (width - len(one) - 1)] * n


def gaps(n):
    """A journey of `n` touchpoints that trace to nothing: `n` gap warnings."""
    lines = ['journey j "J" {']
    for s in range((n + 99) // 100):
        lines.append(f'  stage s{s} "S" {{')
        for t in range(min(100, n - 100 * s)):
            lines.append(f'    touchpoint t{s}_{t} "T" {{ channel email }}')
        lines.append("  }")
    lines.append("}")
    return lines


def write(dir, name, parts, joiner):
    path = os.path.join(dir, name)
    with open(path, "w") as f:
        f.write(joiner.join(parts) + "\n")
    return path


def lsp_seconds(path):
    """Seconds from `didOpen` to the first `publishDiagnostics` for the file."""
    p = subprocess.Popen([JOURNEY, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)

    def send(msg):
        body = json.dumps(msg).encode()
        p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        p.stdin.flush()

    def receive():
        length = 0
        while True:
            line = p.stdout.readline()
            if line in (b"\r\n", b""):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(p.stdout.read(length))

    uri = "file://" + path
    send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
          "params": {"processId": None, "rootUri": None, "capabilities": {}}})
    while "id" not in receive():
        pass
    send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    with open(path) as f:
        text = f.read()
    start = time.perf_counter()
    send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "journey", "version": 1, "text": text}}})
    while True:
        msg = receive()
        if msg.get("method") == "textDocument/publishDiagnostics" and msg["params"]["uri"] == uri \
                and msg["params"]["diagnostics"]:
            break
    seconds = time.perf_counter() - start
    p.kill()
    p.wait()
    return seconds


def serve_figures(path):
    """Seconds to the error page, its size, the bytes on stderr and peak memory."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    err = tempfile.TemporaryFile()
    p = subprocess.Popen([JOURNEY, "serve", "--port", str(port), path],
                         stdout=subprocess.DEVNULL, stderr=err)
    start = time.perf_counter()
    page = None
    while page is None and time.perf_counter() - start < 600:
        try:
            page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=600).read()
        except OSError:
            time.sleep(0.05)
    seconds = time.perf_counter() - start
    with open(f"/proc/{p.pid}/status") as f:
        peak = next(int(l.split()[1]) for l in f if l.startswith("VmHWM")) / 1024
    p.kill()
    p.wait()
    err.seek(0, 2)
    return seconds, len(page or b""), err.tell(), peak


def main():
    d = tempfile.mkdtemp()
    rows = []
    for case, parts in [
        ("human report, `persona p \"P\" ` × 8 000", duplicates(8000, 14)),
        ("human report, 20 000 diagnostics on a 300 kB line", duplicates(20001, 15)),
    ]:
        one, many = (write(d, "one.journey", parts, " "), write(d, "many.journey", parts, "\n"))
        rows.append((case, run(["check", one]), run(["check", many])))
    parts = gaps(84_000)
    one, many = (write(d, "one.journey", parts, " "), write(d, "many.journey", parts, "\n"))
    size = os.path.getsize(one) / 1e6
    rows.append((f"`--format json`, {size:.1f} MB generated, 84 000 gaps",
                 run(["check", "--format", "json", one]),
                 run(["check", "--format", "json", many])))
    parts = gaps(20_000)
    one, many = (write(d, "one.journey", parts, " "), write(d, "many.journey", parts, "\n"))
    rows.append(("LSP, didOpen to diagnostics, 20 000 gaps", (lsp_seconds(one), None),
                 (lsp_seconds(many), None)))
    parts = duplicates(2000, 14)
    one, many = (write(d, "one.journey", parts, " "), write(d, "many.journey", parts, "\n"))
    for name, path in [("one line", one), ("spread", many)]:
        s, page, err, peak = serve_figures(path)
        rows.append((f"`serve`, 28 kB, 1 999 duplicates ({name}): page {page / 1e6:.2f} MB, "
                     f"stderr {err / 1e6:.2f} MB", (s, peak), None))
    print("| case | one line: s, peak MB | spread over lines: s, peak MB |")
    print("|---|---:|---:|")
    fmt = lambda r: "" if r is None else f"{r[0]:.2f} s" + ("" if r[1] is None else f", {r[1]:.0f} MB")
    for case, a, b in rows:
        print(f"| {case} | {fmt(a)} | {fmt(b)} |")


main()
