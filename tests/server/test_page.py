#!/usr/bin/env python3
"""The explorer page of graphstyle serve in a real headless browser: Chromium over the DevTools
protocol, or Firefox over WebDriver BiDi.

  usage: test_page.py path/to/graphstyle path/to/shared source_dir screenshot.png [chromium|firefox]

Starts the server (127.0.0.1, a free port) and Chromium, loads the page, uploads a content and a style
image through the page's file inputs, clicks Stylize, waits for the result, clicks a point of the
result, and checks that the explorer outlined style patches (pixels of the strongest patch's colour
appear on the style canvas), listed the node's edges and drew the scale overlay's legend. Any
JavaScript exception fails the test. The screenshot of the final page is kept (a test artifact).
Python's standard library only (a minimal WebSocket client); SKIPPED without the browser.
"""
import base64
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request

GS, SHARED, SOURCE, SHOT = sys.argv[1:5]
BROWSER = sys.argv[5] if len(sys.argv) > 5 else "chromium"
EXE = (shutil.which("chromium") or shutil.which("chromium-browser")) if BROWSER == "chromium" else \
    (shutil.which("firefox-esr") or shutil.which("firefox"))
TRAINED = os.path.join(SOURCE, "models", "trained", "graphstyle_gnn.h5")
VGG = os.path.join(SHARED, "weights", "vgg_normalised.pth")
CONTENT = os.path.realpath(os.path.join(SHARED, "images", "content", "sailboat.jpg"))
STYLE = os.path.realpath(os.path.join(SHARED, "images", "style", "starry_night.jpg"))
if not EXE:
    print(f"SKIPPED: {BROWSER} not found (apt-get install {BROWSER}): the page's browser test")
    sys.exit(0)
for need in (TRAINED, VGG, CONTENT, STYLE):
    if not os.path.exists(need):
        print(f"SKIPPED: {need} not found")
        sys.exit(0)


class WebSocketJson:
    """Just enough of RFC 6455 for a browser's remote protocol: masked text frames out, text frames in."""

    def __init__(self, ws_url):
        host_port, path = ws_url[len("ws://"):].split("/", 1)
        host, port = host_port.split(":")
        self.sock = socket.create_connection((host, int(port)), timeout=60)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /{path} HTTP/1.1\r\nHost: {host_port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.sock.recv(1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise RuntimeError(f"WebSocket handshake refused: {head[:200]}")
        self.next_id, self.events = 0, []

    def _recv_exact(self, n):
        data = b""
        while len(data) < n:
            piece = self.sock.recv(n - len(data))
            if not piece:
                raise RuntimeError("DevTools connection closed")
            data += piece
        return data

    def _recv(self):
        message = b""
        while True:
            b0, b1 = self._recv_exact(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._recv_exact(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._recv_exact(8))[0]
            payload = self._recv_exact(n)
            if b0 & 0x0F in (0x1, 0x0):
                message += payload
                if b0 & 0x80:
                    return json.loads(message)

    def call(self, method, **params):
        self.next_id += 1
        data = json.dumps({"id": self.next_id, "method": method, "params": params}).encode()
        mask = os.urandom(4)
        header = bytes([0x81]) + (bytes([0x80 | len(data)]) if len(data) < 126 else
                                  bytes([0x80 | 126]) + struct.pack(">H", len(data)) if len(data) < 65536 else
                                  bytes([0x80 | 127]) + struct.pack(">Q", len(data)))
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))
        while True:
            m = self._recv()
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']} {m.get('message', '')}")
                return m.get("result", {})
            self.events.append(m)


class Chromium(WebSocketJson):
    """The Chrome DevTools protocol."""

    def __init__(self, ws_url):
        super().__init__(ws_url)
        for domain in ("Page", "Runtime", "DOM"):
            self.call(f"{domain}.enable")

    def navigate(self, url):
        self.call("Page.navigate", url=url)

    def js(self, expression):
        r = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise RuntimeError(f"{expression}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def set_files(self, selector, path):
        root = self.call("DOM.getDocument")["root"]["nodeId"]
        node = self.call("DOM.querySelector", nodeId=root, selector=selector)["nodeId"]
        self.call("DOM.setFileInputFiles", nodeId=node, files=[path])

    def click(self, x, y):
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    def screenshot(self):
        return base64.b64decode(self.call("Page.captureScreenshot", format="png")["data"])

    def js_errors(self):
        return [e["params"]["exceptionDetails"] for e in self.events if e.get("method") == "Runtime.exceptionThrown"]


class Firefox(WebSocketJson):
    """WebDriver BiDi, Firefox's remote protocol."""

    def __init__(self, ws_url):
        super().__init__(ws_url)
        self.call("session.new", capabilities={})
        self.context = self.call("browsingContext.getTree")["contexts"][0]["context"]
        self.call("session.subscribe", events=["log.entryAdded"])
        self.call("browsingContext.setViewport", context=self.context, viewport={"width": 1400, "height": 1250})

    def navigate(self, url):
        self.call("browsingContext.navigate", context=self.context, url=url, wait="complete")

    def _evaluate(self, expression, ownership="none"):
        r = self.call("script.evaluate", expression=expression, target={"context": self.context}, awaitPromise=True,
                      resultOwnership=ownership)
        if r.get("type") == "exception":
            raise RuntimeError(f"{expression}: {r['exceptionDetails']}")
        return r["result"]

    def _plain(self, v):  # BiDi's serialised values -> Python values
        if v.get("type") == "array":
            return [self._plain(x) for x in v["value"]]
        if v.get("type") == "object":
            return {k: self._plain(x) for k, x in v["value"]}
        return v.get("value")

    def js(self, expression):
        return self._plain(self._evaluate(expression))

    def set_files(self, selector, path):
        element = self._evaluate(f"document.querySelector('{selector}')", "root")
        self.call("input.setFiles", context=self.context, element={"sharedId": element["sharedId"]}, files=[path])

    def click(self, x, y):
        self.call("input.performActions", context=self.context, actions=[{
            "type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"},
            "actions": [{"type": "pointerMove", "x": int(x), "y": int(y)}, {"type": "pointerDown", "button": 0},
                        {"type": "pointerUp", "button": 0}]}])

    def screenshot(self):
        return base64.b64decode(self.call("browsingContext.captureScreenshot", context=self.context)["data"])

    def js_errors(self):
        return [e["params"].get("text") for e in self.events if e.get("method") == "log.entryAdded"
                and e["params"].get("type") == "javascript" and e["params"].get("level") == "error"]


def wait_for(condition, seconds, what):
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise RuntimeError(f"timed out waiting for {what}")


tmp = tempfile.mkdtemp(prefix="graphstyle_page_test_")
server = browser = None
failures = []
try:
    model = os.path.join(tmp, "model.h5")
    subprocess.run([GS, "convert", "--vgg", VGG, "--trained", TRAINED, "-o", model], check=True, stdout=subprocess.DEVNULL)
    server = subprocess.Popen([GS, "serve", "--model", model, "--port", "0"], stdout=subprocess.PIPE, text=True,
                              env=dict(os.environ, OMP_NUM_THREADS="2"))
    line = server.stdout.readline()
    port = int(line.split("127.0.0.1:")[1].split("/")[0])
    profile = os.path.join(tmp, "profile")
    os.makedirs(profile)
    if BROWSER == "chromium":
        browser = subprocess.Popen([EXE, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                    "--disable-dev-shm-usage", "--remote-debugging-port=0", f"--user-data-dir={profile}",
                                    "--window-size=1400,1250", "about:blank"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        active = os.path.join(profile, "DevToolsActivePort")
        wait_for(lambda: os.path.exists(active) and open(active).read().count("\n") >= 1, 30, "Chromium's DevTools port")
        devtools_port = int(open(active).read().split("\n")[0])
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{devtools_port}/json/list"))
        dt = Chromium(next(t for t in targets if t["type"] == "page")["webSocketDebuggerUrl"])
    else:
        with socket.socket() as free:  # Firefox listens where it is told: a free port
            free.bind(("127.0.0.1", 0))
            bidi_port = free.getsockname()[1]
        browser = subprocess.Popen([EXE, "--headless", "--no-remote", "--profile", profile,
                                    f"--remote-debugging-port={bidi_port}", "about:blank"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def connect():
            try:
                return Firefox(f"ws://127.0.0.1:{bidi_port}/session")
            except (OSError, RuntimeError):
                return None
        dt = wait_for(connect, 60, "Firefox's WebDriver BiDi port")
    print(f"browser: {BROWSER}")
    dt.navigate(f"http://127.0.0.1:{port}/")
    wait_for(lambda: dt.js("document.readyState") == "complete" and dt.js("!!document.getElementById('go')"), 20, "the page")

    # Upload through the page's own file inputs (as a picked file would arrive).
    for field, path in (("content", CONTENT), ("style", STYLE)):
        dt.set_files(f"#{field}-file", path)
    wait_for(lambda: dt.js("!document.getElementById('go').disabled"), 10, "the Stylize button to be enabled")
    dt.js("document.getElementById('size').value = '128'")
    box = dt.js("(() => { const b = document.getElementById('go').getBoundingClientRect(); return [b.x + b.width / 2, b.y + b.height / 2]; })()")
    dt.click(*box)
    status = wait_for(lambda: (lambda s: s if s.startswith("Done") or "error" in dt.js("document.getElementById('status').className") else None)(
        dt.js("document.getElementById('status').textContent")), 120, "the result")
    print("page status:", status)
    if not status.startswith("Done"):
        failures.append(f"stylize from the page: {status}")
    else:
        size = dt.js("[document.getElementById('result-canvas').width, document.getElementById('result-canvas').height]")
        if size[0] < 128 or size[1] < 128:
            failures.append(f"result canvas {size}")
        # The strongest patch's outline colour (RANK[0] = #e6194b) on the style canvas, before and after a click.
        count = ("(() => { const c = document.getElementById('style-canvas'); const d = c.getContext('2d')"
                 ".getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 0; i < d.length; i += 4)"
                 " if (d[i] === 230 && d[i + 1] === 25 && d[i + 2] === 75) n++; return n; })()")
        before = dt.js(count)
        point = dt.js("(() => { const b = document.getElementById('result-canvas').getBoundingClientRect(); "
                      "return [b.x + b.width * 0.4, b.y + b.height * 0.6]; })()")
        dt.click(*point)
        after = dt.js(count)
        info = dt.js("document.getElementById('info').textContent")
        print(f"explorer: {after - before} outline pixels of the strongest patch; info: {info.splitlines()[0]}")
        if after - before < 20:
            failures.append(f"the click outlined no style patch ({before} -> {after} pixels)")
        if "style patches" not in info or "attention" not in info or "content neighbours" not in info:
            failures.append(f"the explorer's node text: {info[:300]}")
        dt.js("(() => { const o = document.getElementById('overlay'); o.value = 'scale'; o.dispatchEvent(new Event('change')); })()")
        legend = dt.js("document.getElementById('legend').textContent")
        if "scale" not in legend or not dt.js("!!document.querySelector('#legend canvas')"):
            failures.append(f"the scale overlay's legend: {legend}")
    errors = dt.js_errors()
    if errors:
        failures.append(f"JavaScript errors: {errors[0]}")
    with open(SHOT, "wb") as f:
        f.write(dt.screenshot())
    print(f"screenshot: {SHOT}")
finally:
    for p in (browser, server):
        if p and p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
    shutil.rmtree(tmp, ignore_errors=True)

for f in failures:
    print("FAIL:", f)
if failures:
    sys.exit(1)
print("page: all checks passed")
