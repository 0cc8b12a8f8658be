"""Starts the genesys-emulator binary for a test and talks to its admin API (stdlib only)."""

import json
import os
import subprocess
import urllib.error
import urllib.request

import PureCloudPlatformClientV2 as gc
import urllib3

CLIENT_ID = "sdk-fidelity-client"
CLIENT_SECRET = "sdk-fidelity-secret"


class Emulator:
    """One emulator process, started with `--listen 127.0.0.1:0`."""

    def __init__(self, *extra_args):
        binary = os.environ.get("GENESYS_EMULATOR_BIN")
        if not binary:
            raise RuntimeError("GENESYS_EMULATOR_BIN must name the built genesys-emulator binary")
        self.process = subprocess.Popen(
            [binary, "--listen", "127.0.0.1:0", "--client-id", CLIENT_ID,
             "--client-secret", CLIENT_SECRET, *extra_args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        line = self.process.stdout.readline()
        prefix = "listening on "
        if not line.startswith(prefix):
            self.stop()
            raise RuntimeError(f"emulator did not start: first line {line!r}")
        self.url = line[len(prefix):].strip()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for stream in (self.process.stdout, self.process.stderr):
            if stream:
                stream.close()

    def admin(self, method, path, body=None):
        """Calls the admin API; returns (status, parsed JSON or None)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as error:
            raw = error.read()
            return error.code, json.loads(raw) if raw else None

    def client(self, retries=None):
        """An SDK ApiClient pointed at the emulator, logged in with client credentials.

        `retries` replaces the SDK's urllib3 retry policy (e.g. to see a 429 instead of
        having urllib3 sleep through Retry-After)."""
        api_client = gc.ApiClient(host=self.url)
        if retries is not None:
            rest = api_client.get_http_client().rest_client
            rest.pool_manager.connection_pool_kw["retries"] = retries
        return api_client.get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)

    def requests(self):
        return self.admin("GET", "/__emulator/requests")[1]


NO_RETRIES = urllib3.util.Retry(total=0, respect_retry_after_header=False, raise_on_status=False)


def raw_api(emu, client, method, path, body=None):
    """Calls the API without the SDK's deserialiser; returns (status, parsed JSON or None), so a
    test can check the exact wire shape."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(emu.url + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    request.add_header("Authorization", f"Bearer {client.access_token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        raw = error.read()
        return error.code, json.loads(raw) if raw else None
