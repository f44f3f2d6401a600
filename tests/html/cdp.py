# SPDX-License-Identifier: GPL-2.0-or-later
"""A small client for the Chrome DevTools Protocol, on the Python standard library alone.

It starts Debian's chromium headless with its own command-line flags (no sandbox, no GPU, no
background networking, a throw-away profile), listening on 127.0.0.1 only, connects to the page
target over a WebSocket and records every event, so that a test can see console messages,
exceptions, CSP violations and network requests while a page loads, query the DOM and take a
screenshot. No browser is downloaded: without chromium, find_chromium() returns None and tests
skip (exit 77).
"""
import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request


def find_chromium():
    for name in (os.environ.get('CHROMIUM'), 'chromium', 'chromium-browser'):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


class WebSocket:
    """RFC 6455, client side, text frames only: what the DevTools protocol speaks."""

    def __init__(self, url, timeout=30):
        u = urllib.parse.urlparse(url)
        self.sock = socket.create_connection((u.hostname, u.port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {u.path} HTTP/1.1\r\nHost: {u.hostname}:{u.port}\r\n"
                           f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        self.rfile = self.sock.makefile('rb')
        status = self.rfile.readline()
        if b' 101 ' not in status:
            raise RuntimeError(f"WebSocket handshake refused: {status!r}")
        while self.rfile.readline() not in (b'\r\n', b''):
            pass

    def send(self, text):
        data = text.encode()
        head = bytes([0x81])
        if len(data) < 126:
            head += bytes([0x80 | len(data)])
        elif len(data) < 65536:
            head += bytes([0x80 | 126]) + struct.pack('!H', len(data))
        else:
            head += bytes([0x80 | 127]) + struct.pack('!Q', len(data))
        mask = os.urandom(4)
        self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def _read(self, n):
        data = self.rfile.read(n)
        if len(data) != n:
            raise ConnectionError("WebSocket closed")
        return data

    def recv(self):
        message = b''
        while True:
            b0, b1 = self._read(2)
            n = b1 & 0x7f
            if n == 126:
                n = struct.unpack('!H', self._read(2))[0]
            elif n == 127:
                n = struct.unpack('!Q', self._read(8))[0]
            mask = self._read(4) if b1 & 0x80 else None
            payload = self._read(n)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            opcode = b0 & 0x0f
            if opcode == 0x8:
                raise ConnectionError("WebSocket closed by the browser")
            if opcode == 0x9:          # ping: answer, keep reading
                self.sock.sendall(bytes([0x8a, 0x80 | len(payload)]) + b'\0\0\0\0' + payload)
                continue
            if opcode == 0xa:
                continue
            message += payload
            if b0 & 0x80:
                return message.decode('utf-8')

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


class Browser:
    """One headless chromium with one page; use as a context manager."""

    def __init__(self, chromium, width=1280, height=900):
        self.profile = tempfile.mkdtemp(prefix='fsdoctor-chromium-')
        self.log = open(os.path.join(self.profile, 'stderr.log'), 'w+')
        args = [chromium, '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
                '--disable-component-update', '--disable-sync', '--no-first-run', '--no-default-browser-check',
                '--disable-extensions', '--disable-default-apps', '--mute-audio', '--hide-scrollbars',
                f'--window-size={width},{height}', f'--user-data-dir={self.profile}',
                '--remote-debugging-address=127.0.0.1', '--remote-debugging-port=0', 'about:blank']
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.log)
        self.ws = None
        self.events = []
        self.next_id = 0
        try:
            port = self._wait_port()
            target = self._page_target(port)
            self.ws = WebSocket(target['webSocketDebuggerUrl'])
        except Exception:
            self.close()
            raise

    def _wait_port(self):
        path = os.path.join(self.profile, 'DevToolsActivePort')
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"chromium exited with {self.proc.returncode}: {self.log.read()[-2000:]}")
            try:
                with open(path) as f:
                    lines = f.read().split()
                if lines:
                    return int(lines[0])
            except (FileNotFoundError, ValueError):
                pass
            time.sleep(0.05)
        raise RuntimeError("chromium did not open its DevTools port")

    def _page_target(self, port):
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            with urllib.request.urlopen(f'http://127.0.0.1:{port}/json/list', timeout=10) as r:
                targets = json.load(r)
            pages = [t for t in targets if t.get('type') == 'page']
            if pages:
                return pages[0]
            time.sleep(0.05)
        raise RuntimeError("chromium shows no page target")

    def call(self, method, timeout=60, **params):
        self.next_id += 1
        my_id = self.next_id
        self.ws.sock.settimeout(timeout)
        self.ws.send(json.dumps({'id': my_id, 'method': method, 'params': params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get('id') == my_id:
                if 'error' in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get('result', {})
            if 'method' in msg:
                self.events.append(msg)

    def wait_event(self, name, timeout=60):
        for e in self.events:
            if e['method'] == name:
                return e
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.ws.sock.settimeout(max(0.1, deadline - time.monotonic()))
            msg = json.loads(self.ws.recv())
            if 'method' in msg:
                self.events.append(msg)
                if msg['method'] == name:
                    return msg
        raise TimeoutError(f"no {name} within {timeout} s")

    def load(self, url, timeout=60):
        """Open url with console, log, network and page events recorded from the first byte."""
        for domain in ('Page', 'Runtime', 'Log', 'Network'):
            self.call(f'{domain}.enable')
        self.events = []
        self.call('Page.navigate', url=url)
        self.wait_event('Page.loadEventFired', timeout)

    def evaluate(self, expression):
        r = self.call('Runtime.evaluate', expression=expression, returnByValue=True)
        if 'exceptionDetails' in r:
            raise RuntimeError(f"evaluate failed: {r['exceptionDetails']}")
        return r['result'].get('value')

    def problems(self, page_url):
        """Console errors and warnings, exceptions, CSP violations, dialogs, and every request for
        anything but the page itself."""
        found = []
        for e in self.events:
            m, p = e['method'], e.get('params', {})
            if m == 'Runtime.consoleAPICalled' and p.get('type') in ('error', 'warning', 'assert'):
                found.append(f"console.{p['type']}: {p.get('args')}")
            elif m == 'Runtime.exceptionThrown':
                found.append(f"exception: {p.get('exceptionDetails')}")
            elif m == 'Log.entryAdded' and p['entry'].get('level') in ('error', 'warning'):
                found.append(f"log {p['entry'].get('source')}: {p['entry'].get('text')}")
            elif m == 'Page.javascriptDialogOpening':
                found.append(f"dialog: {p.get('message')}")
            elif m == 'Network.requestWillBeSent' and p['request']['url'] != page_url:
                found.append(f"request: {p['request']['url']}")
        return found

    def requests(self):
        return [e['params']['request']['url'] for e in self.events if e['method'] == 'Network.requestWillBeSent']

    def screenshot(self, path, full_page=True):
        clip = None
        if full_page:
            # parts laid out only when scrolled to (content-visibility: auto) are drawn now, as
            # a reader scrolling through would see them
            self.evaluate("document.querySelectorAll('*').forEach(e => { "
                          "if (getComputedStyle(e).contentVisibility == 'auto') e.style.contentVisibility = 'visible'; })")
            m = self.call('Page.getLayoutMetrics')
            size = m.get('cssContentSize') or m['contentSize']
            clip = {'x': 0, 'y': 0, 'width': size['width'], 'height': min(size['height'], 16000), 'scale': 1}
        params = {'format': 'png', 'captureBeyondViewport': True}
        if clip:
            params['clip'] = clip
        data = base64.b64decode(self.call('Page.captureScreenshot', **params)['data'])
        with open(path, 'wb') as f:
            f.write(data)
        return data

    def close(self):
        if self.ws:
            try:
                self.call('Browser.close', timeout=5)
            except Exception:
                pass
            self.ws.close()
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
