"""Diagnostics reach an editor: the real python-lsp-server, with its flake8 plugin, over stdio.

A minimal JSON-RPC client (Content-Length framing) does the LSP handshake with only the
flake8 plugin enabled as the README says, opens a bad test file and waits for
publishDiagnostics.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

BAD = """\
import asyncio


async def test_sleep_result():
    assert await asyncio.sleep(0, result=1) == 1
"""
TIMEOUT = 60.0


class Client:
    """Just enough of an LSP client: framed requests, notifications and a reader thread."""

    def __init__(self, cmd: list[str], cwd: Path, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.messages: queue.Queue = queue.Queue()
        self.next_id = 0
        self.stderr: list[bytes] = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    def _read(self) -> None:
        stream = self.proc.stdout
        assert stream is not None
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if length is None:
                continue
            self.messages.put(json.loads(stream.read(length).decode("utf-8")))

    def _drain_stderr(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.stderr.append(line)

    def send(self, payload: dict) -> None:
        body = json.dumps(payload).encode("utf-8")
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def request(self, method: str, params: dict) -> dict:
        self.next_id += 1
        wanted = self.next_id
        self.send({"jsonrpc": "2.0", "id": wanted, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == wanted and "method" not in m)

    def notify(self, method: str, params: dict) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait(self, match, timeout: float = TIMEOUT) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("no matching message from the server; stderr:\n"
                                     + b"".join(self.stderr).decode(errors="replace")[-3000:])
            try:
                message = self.messages.get(timeout=left)
            except queue.Empty:
                continue
            if "method" in message and "id" in message:  # a request from the server
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": None})
                continue
            if match(message):
                return message

    def close(self) -> None:
        try:
            if self.proc.poll() is None:
                self.request("shutdown", {})
                self.notify("exit", {})
                self.proc.wait(timeout=5)
        except Exception:
            pass
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait(timeout=10)


def readme_settings() -> dict:
    """The pylsp settings the README tells users to use."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- pylsp-settings -->\n```json\n(.*?)```", readme, re.S)
    assert match, "README.md needs the pylsp settings after <!-- pylsp-settings -->"
    settings = json.loads(match.group(1))
    assert settings["pylsp"]["plugins"]["flake8"]["enabled"] is True
    return settings


def _pylsp() -> list[str]:
    pytest.importorskip("pylsp")
    return [sys.executable, "-m", "pylsp"]


def test_pylsp_flake8_publishes_the_at_code(tmp_path):
    cmd = _pylsp()
    project = tmp_path / "project"
    project.mkdir()
    (project / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\n", encoding="utf-8")
    path = project / "test_editor.py"
    path.write_text(BAD, encoding="utf-8")
    # The flake8 of this environment, where the plugin is installed.
    flake8 = shutil.which("flake8", path=os.path.dirname(sys.executable))
    assert flake8, "flake8 is not installed beside this Python"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    settings = readme_settings()
    plugins = settings["pylsp"]["plugins"]
    plugins["flake8"]["executable"] = flake8
    for name in ("pydocstyle", "pylint", "autopep8", "yapf", "rope_autoimport",
                 "rope_completion", "jedi_completion"):
        plugins.setdefault(name, {"enabled": False})
    client = Client(cmd, project, env)
    try:
        reply = client.request("initialize", {
            "processId": os.getpid(),
            "rootUri": project.as_uri(),
            "capabilities": {"textDocument": {"publishDiagnostics": {}}},
            "initializationOptions": settings,
        })
        assert "capabilities" in reply.get("result", {}), reply
        client.notify("initialized", {})
        client.notify("workspace/didChangeConfiguration", {"settings": settings})
        client.notify("textDocument/didOpen", {"textDocument": {
            "uri": path.as_uri(), "languageId": "python", "version": 1, "text": BAD}})
        message = client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                              and m["params"]["uri"] == path.as_uri()
                              and m["params"]["diagnostics"])
        diagnostics = message["params"]["diagnostics"]
        found = [(d["range"]["start"]["line"], d.get("code"), d.get("source"))
                 for d in diagnostics]
        # LSP lines are 0-based: the `async def` on line 4 is line 3.
        assert found == [(3, "AT100", "flake8")], diagnostics
        assert "[docs/rules/AT100.md]" in diagnostics[0]["message"]
    finally:
        client.close()
