"""A real HTTP server that speaks enough of the OpenAI chat-completions protocol for the tests:
plain and streamed (server-sent events) replies, a slow reply, and HTTP 500."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeChat:
    def __init__(self):
        self.mode = "ok"            # ok | slow | error
        self.reply = "好的[1]"
        self.requests: list[dict] = []
        self.delay = 3.0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                fake.requests.append({"path": self.path, "body": body})
                if not self.path.endswith("/chat/completions"):
                    self.send_error(404)
                    return
                if fake.mode == "error":
                    self._json(500, {"error": {"message": "internal error", "type": "server_error"}})
                    return
                if fake.mode == "slow":
                    time.sleep(fake.delay)
                reply = fake.reply(body) if callable(fake.reply) else fake.reply
                if body.get("stream"):
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.end_headers()
                    for i in range(0, len(reply), 4):
                        self._event({"choices": [{"index": 0, "delta": {"content": reply[i:i + 4]},
                                                  "finish_reason": None}]})
                    self._event({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
                    self.wfile.write(b"data: [DONE]\n\n")
                    return
                self._json(200, {"id": "c1", "object": "chat.completion", "created": 0, "model": body.get("model"),
                                 "choices": [{"index": 0, "message": {"role": "assistant", "content": reply},
                                              "finish_reason": "stop"}],
                                 "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})

            def _event(self, payload):
                payload = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": "fake", **payload}
                self.wfile.write(f"data: {json.dumps(payload, ensure_ascii=False)}\n\n".encode())
                self.wfile.flush()

            def _json(self, code, payload):
                data = json.dumps(payload, ensure_ascii=False).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.handle_error = lambda *a: None      # a client that timed out closed the socket
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
