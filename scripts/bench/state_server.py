"""An in-memory Terraform `http` state backend for the benchmarks.

Terraform's local backend rewrites the whole state file after every resource instance it
applies (JSON, indented), so on a large apply its cost grows with the state's size times the
instances. A remote backend (HTTP, S3, HCP Terraform) keeps the state in memory during the
apply and uploads it every 20 seconds and at the end. This server lets a benchmark run the
same apply both ways: GET returns the state stored at the path (404 when none), POST stores
it, DELETE removes it. No locking (the benchmarks pass -lock=false).
"""

import http.server
import threading


class StateServer:
    """Serves Terraform states on 127.0.0.1 from a background thread until `stop()`."""

    def __init__(self):
        states = self.states = {}

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _answer(self, status, body=b""):
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                body = states.get(self.path.split("?")[0])
                self._answer(200, body) if body is not None else self._answer(404)

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                states[self.path.split("?")[0]] = self.rfile.read(length)
                self._answer(200)

            def do_DELETE(self):
                states.pop(self.path.split("?")[0], None)
                self._answer(200)

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def backend_hcl(self, name):
        """A `terraform` block storing this configuration's state at /NAME."""
        return f'terraform {{\n  backend "http" {{\n    address = "{self.url}/{name}"\n  }}\n}}\n'

    def size(self, name):
        """Bytes of the state stored at /NAME (0 when none)."""
        return len(self.states.get(f"/{name}", b""))

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
