"""A fake Slack Web API on an ephemeral port: records every call, answers with realistic ids, serves
file downloads and the files upload v2 flow, simulates 429/5xx/invalid_blocks, validates every block
with slack_sdk's models plus Slack's limits, and speaks just enough WebSocket for one Socket Mode test."""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from slack_sdk.models.blocks import Block

JSON_FIELDS = ("blocks", "view", "metadata", "attachments", "users", "files")


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    token: str
    ok: bool = True


@dataclass
class Fault:
    method: str
    status: int = 429
    error: str = "ratelimited"
    count: int = 1
    retry_after: int = 0


def validate_blocks(blocks: list[dict[str, Any]], *, max_blocks: int, surface: str) -> list[str]:
    """Independent of the app's own checks: Block.parse plus Slack's published limits."""
    problems = []
    if len(blocks) > max_blocks:
        problems.append(f"too many blocks ({len(blocks)})")
    chars = 0
    for b in blocks:
        try:
            Block.parse(b)
        except Exception as exc:
            problems.append(f"unparseable block: {exc}")
        text = (b.get("text") or {}).get("text", "")
        chars += _text_chars(b)
        if b.get("type") == "section" and len(text) > 3000:
            problems.append("section text > 3000")
        if b.get("type") == "header" and len(text) > 150:
            problems.append("header > 150")
        for el in [b.get("accessory") or {}, *(b.get("elements") or [])]:
            for opt in el.get("options", []) if isinstance(el, dict) else []:
                if len(opt["text"]["text"]) > 75 or len(opt.get("value", "")) > 150:
                    problems.append("option too long")
            if isinstance(el, dict) and el.get("type") == "checkboxes" and len(el.get("options", [])) > 10:
                problems.append("checkboxes > 10")
            if isinstance(el, dict) and el.get("type") == "button" and len(el.get("value", "")) > 2000:
                problems.append("button value > 2000")
    if surface == "message" and chars > 12_000:
        problems.append("msg_blocks_too_long")
    return problems


def _text_chars(node: Any) -> int:
    """Characters in every text object under node (what Slack's ~12k block-text budget counts)."""
    if isinstance(node, list):
        return sum(_text_chars(n) for n in node)
    if not isinstance(node, dict):
        return 0
    own = len(node["text"]) if node.get("type") in ("plain_text", "mrkdwn") and isinstance(node.get("text"), str) else 0
    return own + sum(_text_chars(v) for v in node.values() if isinstance(v, dict | list))


@dataclass
class FakeSlack:
    calls: list[Call] = field(default_factory=list)
    files: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # id -> (content, content type)
    file_meta: dict[str, dict[str, Any]] = field(default_factory=dict)
    usergroups: dict[str, list[str]] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    messages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # channel -> messages
    uploads: dict[str, bytes] = field(default_factory=dict)
    socket_events: list[dict[str, Any]] = field(default_factory=list)
    socket_acks: list[dict[str, Any]] = field(default_factory=list)
    delay: float = 0.0

    def __post_init__(self) -> None:
        self._ts = itertools.count(1)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # ---- test helpers ------------------------------------------------------------------------------------
    def fail(self, method: str, *, status: int = 429, error: str = "ratelimited", count: int = 1) -> None:
        self.faults.append(Fault(method, status, error, count))

    def add_file(self, file_id: str, content: bytes, *, name: str = "speech.txt", ctype: str = "text/plain",
                 mode: str = "hosted") -> dict[str, Any]:
        self.files[file_id] = (content, ctype)
        meta = {"id": file_id, "name": name, "title": name, "mode": mode, "size": len(content),
                "filetype": "text" if mode == "snippet" else name.rsplit(".", 1)[-1], "mimetype": ctype,
                "url_private": f"{self.url}/files/{file_id}", "url_private_download": f"{self.url}/files/{file_id}"}
        self.file_meta[file_id] = meta
        return meta

    def of(self, method: str, ok_only: bool = True) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method and (c.ok or not ok_only)]

    def wait_for(self, check: Callable[[], Any], timeout: float = 15.0) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = check()
            if result:
                return result
            time.sleep(0.02)
        raise AssertionError("timed out waiting for the fake Slack to see the expected calls")

    # ---- API ---------------------------------------------------------------------------------------------
    def _next_ts(self) -> str:
        return f"17000{next(self._ts):05d}.{next(self._ids):06d}"

    def _fault_for(self, method: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.method == method and fault.count > 0:
                    fault.count -= 1
                    return fault
        return None

    def handle(self, method: str, params: dict[str, Any], token: str) -> tuple[int, dict[str, Any], dict[str, str]]:
        fault = self._fault_for(method)
        if fault:
            with self._lock:
                self.calls.append(Call(method, params, token, ok=False))
            headers = {"Retry-After": str(fault.retry_after)} if fault.status == 429 else {}
            return fault.status, {"ok": False, "error": fault.error}, headers
        problems: list[str] = []
        if method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
            if not params.get("text"):
                problems.append("no text fallback")
            problems += validate_blocks(params.get("blocks") or [], max_blocks=50, surface="message")
        if method in ("views.open", "views.update", "views.publish", "views.push"):
            problems += validate_blocks(params["view"].get("blocks", []), max_blocks=100, surface="view")
        ok = not problems
        with self._lock:
            self.calls.append(Call(method, params, token, ok=ok))
        if problems:
            return 200, {"ok": False, "error": "invalid_blocks", "errors": problems}, {}
        return 200, self._answer(method, params, token), {}

    def _answer(self, method: str, p: dict[str, Any], token: str) -> dict[str, Any]:
        if method == "auth.test":
            return {"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1", "user": "duban"}
        if method == "chat.postMessage":
            if str(p.get("channel", "")).startswith(("U", "W")):  # a user id posts into the app's DM
                p["channel"] = "D" + p["channel"]
            ts = self._next_ts()
            msg = {"ts": ts, "text": p.get("text"), "blocks": p.get("blocks"), "thread_ts": p.get("thread_ts"),
                   "metadata": p.get("metadata"), "user": "UBOT"}
            with self._lock:
                self.messages.setdefault(p["channel"], []).append(msg)
            return {"ok": True, "channel": p["channel"], "ts": ts, "message": msg}
        if method == "chat.update":
            with self._lock:
                found = [m for m in self.messages.get(p["channel"], []) if m["ts"] == p["ts"]]
                if not found:
                    return {"ok": False, "error": "message_not_found"}
                found[0].update(text=p.get("text"), blocks=p.get("blocks"))
            return {"ok": True, "channel": p["channel"], "ts": p["ts"]}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self._next_ts()}
        if method == "conversations.open":
            users = p.get("users")
            user = users[0] if isinstance(users, list) else str(users).split(",")[0]
            return {"ok": True, "channel": {"id": "D" + user}}
        if method in ("conversations.replies", "conversations.history"):
            with self._lock:
                msgs = list(self.messages.get(p["channel"], []))
            if method == "conversations.replies":
                msgs = [m for m in msgs if m["ts"] == p["ts"] or m.get("thread_ts") == p["ts"]]
            return {"ok": True, "messages": msgs, "has_more": False}
        if method in ("views.open", "views.update", "views.publish", "views.push"):
            return {"ok": True, "view": {**p["view"], "id": f"V{next(self._ids):08d}"}}
        if method == "files.info":
            return {"ok": True, "file": self.file_meta[p["file"]]}
        if method == "files.getUploadURLExternal":
            fid = f"F{next(self._ids):08d}"
            return {"ok": True, "upload_url": f"{self.url}/upload/{fid}", "file_id": fid}
        if method == "files.completeUploadExternal":
            files = p.get("files") or []
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title", "")} for f in files]}
        if method == "usergroups.users.list":
            return {"ok": True, "users": self.usergroups.get(p["usergroup"], [])}
        if method == "apps.connections.open":
            return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket"}
        return {"ok": True}

    # ---- HTTP plumbing -----------------------------------------------------------------------------------
    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def _send(self, status: int, body: bytes, ctype: str, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                path = urlparse(self.path).path
                if path == "/socket":
                    fake._serve_socket(self)
                    return
                if path == "/_stats":
                    counts: dict[str, int] = {}
                    with fake._lock:
                        for call in fake.calls:
                            if call.ok:
                                counts[call.method] = counts.get(call.method, 0) + 1
                    self._send(200, json.dumps(counts).encode(), "application/json")
                    return
                if path.startswith("/files/"):
                    fid = path.rsplit("/", 1)[-1]
                    if not self.headers.get("Authorization", "").startswith("Bearer xoxb-") or fid not in fake.files:
                        self._send(200, b"<!DOCTYPE html><html><body>Sign in to Slack</body></html>", "text/html")
                        return
                    content, ctype = fake.files[fid]
                    self._send(200, content, ctype)
                    return
                self._send(404, b"", "text/plain")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                path = urlparse(self.path).path
                if path.startswith("/upload/"):
                    fake.uploads[path.rsplit("/", 1)[-1]] = raw
                    self._send(200, b"OK", "text/plain")
                    return
                method = path.removeprefix("/api/")
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                if "json" in self.headers.get("Content-Type", ""):
                    params = json.loads(raw or b"{}")
                else:
                    params = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                    token = params.pop("token", token)
                for key in JSON_FIELDS:
                    if isinstance(params.get(key), str) and params[key][:1] in "[{":
                        params[key] = json.loads(params[key])
                if fake.delay:
                    time.sleep(fake.delay)
                status, body, headers = fake.handle(method, params, token)
                self._send(status, json.dumps(body).encode(), "application/json; charset=utf-8", headers)

        return Handler

    def _serve_socket(self, handler: BaseHTTPRequestHandler) -> None:
        """Minimal RFC 6455 server side: handshake, then each queued envelope out and acks in."""
        key = handler.headers["Sec-WebSocket-Key"]
        accept = base64.b64encode(hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest())
        handler.wfile.write(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n")
        handler.wfile.flush()
        conn: socket.socket = handler.connection
        conn.settimeout(10)
        _ws_send(conn, json.dumps({"type": "hello", "num_connections": 1}))
        for envelope in list(self.socket_events):
            _ws_send(conn, json.dumps(envelope))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and len(self.socket_acks) < len(self.socket_events):
            try:
                opcode, payload = _ws_recv(conn)
            except (OSError, ValueError):
                break
            if opcode == 1:
                self.socket_acks.append(json.loads(payload))
            elif opcode == 9:
                _ws_send(conn, payload.decode(errors="ignore"), opcode=10)
            elif opcode == 8:
                break
        handler.close_connection = True


def _ws_send(conn: socket.socket, text: str, opcode: int = 1) -> None:
    data = text.encode()
    header = bytes([0x80 | opcode])
    if len(data) < 126:
        header += bytes([len(data)])
    elif len(data) < 65536:
        header += bytes([126]) + struct.pack("!H", len(data))
    else:
        header += bytes([127]) + struct.pack("!Q", len(data))
    conn.sendall(header + data)


def _recv_exact(conn: socket.socket, n: int) -> bytes:
    buf = b""
    while len(buf) < n:
        chunk = conn.recv(n - len(buf))
        if not chunk:
            raise ValueError("closed")
        buf += chunk
    return buf


def _ws_recv(conn: socket.socket) -> tuple[int, bytes]:
    b1, b2 = _recv_exact(conn, 2)
    opcode, length = b1 & 0x0F, b2 & 0x7F
    if length == 126:
        length = struct.unpack("!H", _recv_exact(conn, 2))[0]
    elif length == 127:
        length = struct.unpack("!Q", _recv_exact(conn, 8))[0]
    mask = _recv_exact(conn, 4) if b2 & 0x80 else b"\0\0\0\0"
    data = bytes(c ^ mask[i % 4] for i, c in enumerate(_recv_exact(conn, length)))
    return opcode, data


def serve_forever() -> None:
    """`python -m bot.fake_slack`: a fake Slack in its own process (benchmarks); prints its port."""
    fake = FakeSlack()
    print(fake.port, flush=True)
    fake.thread.join()


if __name__ == "__main__":
    serve_forever()
