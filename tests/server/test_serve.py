#!/usr/bin/env python3
"""graphstyle serve end to end, on 127.0.0.1 and a free port, started and stopped here.

  usage: test_serve.py path/to/graphstyle path/to/graphstyle-dev path/to/shared [source dir]

1. POST /v1/stylize answers the bytes `graphstyle stylize` writes (PNG and JPEG, gnn and adain, options).
2. POST /v1/graph's JSON equals the `--dump-graph` file of the same call (read by graphstyle-dev graph-json).
3. A table of bad requests: each a 4xx with a one-line JSON error (naming the field when there is
   one); /healthz still answers afterwards.
4. Load: 200 requests from 16 clients against --workers 2 --queue 8: each 200 (its bytes equal to the
   answer for its own inputs) or 503 with Retry-After; /metrics agrees; peak RSS reported and bounded.
5. --timeout: a request past its time limit gets 503. SIGTERM: the request in flight is answered, exit 0.
Python's standard library only.
"""
import atexit
import concurrent.futures
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib
import http.client

GS, DEV, SHARED = sys.argv[1], sys.argv[2], sys.argv[3]
SOURCE = sys.argv[4] if len(sys.argv) > 4 else os.path.join(os.path.dirname(__file__), "..", "..")
W, IMAGES = os.path.join(SHARED, "weights"), os.path.join(SHARED, "images")
TRAINED = os.path.join(SOURCE, "models", "trained", "graphstyle_gnn.h5")
for need in (os.path.join(W, "vgg_normalised.pth"), os.path.join(IMAGES, "content", "chicago.jpg"), TRAINED):
    if not os.path.exists(need):
        print(f"SKIPPED: {need} not found: the serve test needs the shared weights and images")
        sys.exit(0)

ENV = dict(os.environ, OMP_NUM_THREADS="1", OMP_WAIT_POLICY="passive")  # the CLI and the server alike
failures = []


def fail(message):
    print("FAIL:", message)
    failures.append(message)


def multipart(fields):
    """fields: [(name, bytes or str, filename or None)] -> (body, content type)."""
    boundary = "graphstyleTestBoundary7MA4YWxk"
    out = []
    for name, value, filename in fields:
        data = value.encode() if isinstance(value, str) else value
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        out.append(f"--{boundary}\r\nContent-Disposition: {disposition}\r\n".encode())
        if filename:
            out.append(b"Content-Type: application/octet-stream\r\n")
        out.append(b"\r\n" + data + b"\r\n")
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out), f"multipart/form-data; boundary={boundary}"


RUNNING = []  # servers to kill if this script dies before stopping them


@atexit.register
def kill_left_over():
    for proc in RUNNING:
        if proc.poll() is None:
            proc.kill()


class Server:
    def __init__(self, model, *args):
        self.proc = subprocess.Popen([GS, "serve", "--model", model, "--port", "0", *args], env=ENV,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        RUNNING.append(self.proc)
        line = self.proc.stdout.readline()
        if "listening on http://127.0.0.1:" not in line:
            self.proc.kill()
            raise SystemExit(f"FAIL: serve did not start: {line}{self.proc.stdout.read()}")
        self.port = int(line.split("127.0.0.1:")[1].split("/")[0])

    def request(self, method, path, body=None, headers=None, timeout=120):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            return r.status, dict(r.getheaders()), r.read()
        finally:
            conn.close()

    def post(self, path, fields, timeout=120):
        body, ctype = multipart(fields)
        return self.request("POST", path, body, {"Content-Type": ctype}, timeout)

    def metric(self, name):
        _, _, text = self.request("GET", "/metrics")
        for line in text.decode().splitlines():
            if line.startswith(name + " ") or line.startswith(name + "{"):
                yield line

    def stop(self, timeout=60):
        self.proc.send_signal(signal.SIGTERM)
        try:
            out, _ = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            fail("serve did not stop within 60 s of SIGTERM")
            return None, ""
        return self.proc.returncode, out


def read(path):
    with open(path, "rb") as f:
        return f.read()


def png_header_only(width, height):
    """A PNG whose IHDR declares width x height, with no pixels: refused before any allocation."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) + \
        chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b"")


tmp = tempfile.mkdtemp(prefix="graphstyle_serve_test_")
model = os.path.join(tmp, "model.h5")
subprocess.run([GS, "convert", "--vgg", os.path.join(W, "vgg_normalised.pth"), "--trained", TRAINED, "-o", model],
               check=True, stdout=subprocess.DEVNULL, env=ENV)
content = os.path.join(IMAGES, "content", "chicago.jpg")
style = os.path.join(IMAGES, "style", "starry_night.jpg")
contents = [os.path.join(IMAGES, "content", n) for n in ("chicago.jpg", "sailboat.jpg", "flowers.jpg", "modern.jpg")]


def cli(out, extra):
    subprocess.run([GS, "stylize", "--model", model, "--content", content, "--style", style, "--out", out, *extra],
                   check=True, stdout=subprocess.DEVNULL, env=ENV)
    return read(out)


srv = Server(model, "--workers", "2", "--queue", "8", "--max-body", "4000000", "--read-timeout", "1",
             "--max-pixels", "1000000")
print(f"serve on 127.0.0.1:{srv.port}")
t0 = time.time()

# 1. The service answers what the command line writes, bit for bit.
cases = [
    ([("size", "96")], ["--size", "96"], "png"),
    ([("size", "64"), ("style_size", "96"), ("k", "3"), ("kc", "0"), ("alpha", "0.8"), ("stroke", "2"), ("patch", "3")],
     ["--size", "64", "--style-size", "96", "--k", "3", "--kc", "0", "--alpha", "0.8", "--stroke", "2", "--patch", "3"], "png"),
    ([("size", "80x64"), ("method", "adain"), ("alpha", "0.6")], ["--size", "80x64", "--method", "adain", "--alpha", "0.6"], "png"),
    ([("size", "64"), ("mix", "content"), ("format", "jpg")], ["--size", "64", "--mix", "content"], "jpg"),
]
for i, (fields, flags, fmt) in enumerate(cases):
    status, headers, body = srv.post("/v1/stylize", [("content", read(content), "c.jpg"), ("style", read(style), "s.jpg"),
                                                     *[(n, v, None) for n, v in fields]])
    expected = cli(os.path.join(tmp, f"cli{i}.{fmt}"), flags)
    if status != 200:
        fail(f"stylize {fields}: status {status}: {body[:200]}")
    elif body != expected:
        fail(f"stylize {fields}: {len(body)} bytes differ from the CLI's {len(expected)}")
    elif headers.get("Content-Type") != ("image/png" if fmt == "png" else "image/jpeg"):
        fail(f"stylize {fields}: Content-Type {headers.get('Content-Type')}")
print(f"1. stylize == CLI: {len(cases)} cases ({time.time() - t0:.1f} s)")

# 2. The graph JSON equals the CLI's graph dump.
for fields, flags in [([("size", "64")], ["--size", "64"]),
                      ([("size", "64"), ("k", "4"), ("kc", "0"), ("deformable", "off")], ["--size", "64", "--k", "4", "--kc", "0", "--deformable", "off"])]:
    status, _, body = srv.post("/v1/graph", [("content", read(content), "c.jpg"), ("style", read(style), "s.jpg"),
                                             *[(n, v, None) for n, v in fields]])
    dump = os.path.join(tmp, "graph.h5")
    cli_png = cli(os.path.join(tmp, "graph_cli.png"), flags + ["--dump-graph", dump])
    expected = json.loads(subprocess.run([DEV, "graph-json", dump], check=True, capture_output=True, text=True).stdout)
    if status != 200:
        fail(f"graph {fields}: status {status}: {body[:200]}")
        continue
    got = json.loads(body)
    for key, value in expected.items():
        if got.get(key) != value:
            fail(f"graph {fields}: '{key}' differs from the dump")
    for key in ("intra", ):
        if (key in got) != (key in expected):
            fail(f"graph {fields}: '{key}' present in one of the two only")
    import base64
    if base64.b64decode(got["image"].split(",", 1)[1]) != cli_png:
        fail(f"graph {fields}: its image differs from the CLI's")
    n = len(got["nodes"]["content_yx"]) // 2
    if not (n == len(got["scales"]["s"]) and len(got["inter"]["attention"]) == n * got["inter"]["k"] and n > 0):
        fail(f"graph {fields}: inconsistent sizes")
print(f"2. graph JSON == --dump-graph ({time.time() - t0:.1f} s)")

# 3. Bad requests.
good = [("content", read(content), "c.jpg"), ("style", read(style), "s.jpg"), ("size", "64", None)]


def with_(**changes):
    fields = [f for f in good if f[0] not in changes]
    for name, value in changes.items():
        if value is not None:
            fields.append((name, value, "f.bin" if name in ("content", "style") else None))
    return fields


def slow_client():
    """Sends half a request and stalls: cut off after the read timeout (1 s) with a 4xx."""
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
    s.sendall(b"POST /v1/stylize HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=B\r\n"
              b"Content-Length: 100000\r\n\r\n--B\r\nContent-Disposition: form-data; name=\"k\"\r\n\r\n")
    data = b""
    while True:
        piece = s.recv(65536)
        if not piece or (b"\r\n\r\n" in data + piece and (data + piece).endswith(b"}\n")):
            data += piece
            break
        data += piece
    s.close()
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), {}, body


jpeg = read(content)
bad = [
    ("truncated JPEG", lambda: srv.post("/v1/stylize", with_(content=jpeg[:len(jpeg) // 3])), 422, "content"),
    ("declared 100000x100000 PNG", lambda: srv.post("/v1/stylize", with_(style=png_header_only(100000, 100000))), 422, "style"),
    ("not an image", lambda: srv.post("/v1/stylize", with_(content=b"hello, I am a text file\n" * 10)), 422, "content"),
    ("empty part", lambda: srv.post("/v1/stylize", with_(style=b"")), 400, "style"),
    ("missing field", lambda: srv.post("/v1/stylize", with_(content=None)), 400, "content"),
    ("k out of range", lambda: srv.post("/v1/stylize", with_(k="0")), 400, "k"),
    ("k beyond the style patches", lambda: srv.post("/v1/stylize", with_(k="20", style_size="48")), 400, "k"),
    ("alpha out of range", lambda: srv.post("/v1/stylize", with_(alpha="1.5")), 400, "alpha"),
    ("alpha not a number", lambda: srv.post("/v1/stylize", with_(alpha="strong")), 400, "alpha"),
    ("even patch", lambda: srv.post("/v1/stylize", with_(patch="4")), 400, "patch"),
    ("stroke 0", lambda: srv.post("/v1/stylize", with_(stroke="0")), 400, "stroke"),
    ("unknown method", lambda: srv.post("/v1/stylize", with_(method="cnn")), 400, "method"),
    ("unknown field", lambda: srv.post("/v1/stylize", with_(colour="red")), 400, "colour"),
    ("bad size form", lambda: srv.post("/v1/stylize", with_(size="big")), 400, "size"),
    ("size over the pixel limit", lambda: srv.post("/v1/stylize", with_(size="4000")), 413, "size"),
    ("unknown format", lambda: srv.post("/v1/stylize", with_(format="gif")), 400, "format"),
    ("graph of adain", lambda: srv.post("/v1/graph", with_(method="adain")), 400, "method"),
    ("oversized body", lambda: srv.post("/v1/stylize", with_(content=b"\xff" * 5_000_000)), 413, None),
    ("not multipart", lambda: srv.request("POST", "/v1/stylize", b'{"content": 1}', {"Content-Type": "application/json"}), 415, None),
    ("GET on a POST route", lambda: srv.request("GET", "/v1/stylize"), 404, None),
    ("slow client", slow_client, 400, None),
]
for name, send, want_status, want_field in bad:
    status, _, body = send()
    try:
        error = json.loads(body)
    except ValueError:
        error = None
    if status != want_status:
        fail(f"bad input '{name}': status {status}, expected {want_status}: {body[:200]}")
    elif not isinstance(error, dict) or not error.get("error") or body.count(b"\n") > 1:
        fail(f"bad input '{name}': not a one-line JSON error: {body[:200]}")
    elif want_field and error.get("field") != want_field:
        fail(f"bad input '{name}': field {error.get('field')}, expected {want_field}: {error}")
# Random bytes (seeded): as the image parts, JPEG and PNG headers followed by junk, and as a whole body.
import random
rng = random.Random(15)
junk_statuses = set()
for i in range(24):
    junk = bytes(rng.getrandbits(8) for _ in range(rng.randrange(1, 4000)))
    prefix = [b"", b"\xff\xd8\xff\xe0", b"\x89PNG\r\n\x1a\n", b"BM"][i % 4]
    if i % 6 == 5:
        status, _, body = srv.request("POST", "/v1/stylize", junk, {"Content-Type": "multipart/form-data; boundary=x"})
    else:
        status, _, body = srv.post("/v1/stylize", with_(content=prefix + junk, style=read(style)))
    junk_statuses.add(status)
    if not 400 <= status < 500:
        fail(f"random input {i}: status {status}: {body[:200]}")
status, _, body = srv.request("GET", "/healthz")
if status != 200 or json.loads(body).get("status") != "ok":
    fail(f"/healthz after the bad inputs: {status} {body}")
print(f"3. bad inputs: {len(bad)} cases, each a 4xx with a JSON error; 24 random inputs: {sorted(junk_statuses)}; "
      f"/healthz answers ({time.time() - t0:.1f} s)")

# 4. Load: 16 clients, 200 requests, 2 workers, queue 8. Each input (content x alpha) has one right answer.
variants = [(c, a) for c in contents for a in ("0.5", "1")]
expected = {}
for c, a in variants:
    status, _, body = srv.post("/v1/stylize", [("content", read(c), "c.jpg"), ("style", read(style), "s.jpg"),
                                               ("size", "64", None), ("alpha", a, None)])
    expected[(c, a)] = body if status == 200 else None
    if status != 200:
        fail(f"load reference {c} {a}: {status}")
statuses, lock = {}, threading.Lock()
mixed_up, no_retry_after = [], []


def client(i):
    c, a = variants[i % len(variants)]
    status, headers, body = srv.post("/v1/stylize", [("content", read(c), "c.jpg"), ("style", read(style), "s.jpg"),
                                                     ("size", "64", None), ("alpha", a, None)], timeout=300)
    with lock:
        statuses[status] = statuses.get(status, 0) + 1
        if status == 200 and body != expected[(c, a)]:
            mixed_up.append((i, c, a))
        if status == 503 and not headers.get("Retry-After", "").isdigit():
            no_retry_after.append(i)
    if status == 503:
        time.sleep(0.2)


def counter(name):
    return float(next(srv.metric(name)).split()[-1])


before = sum(float(l.split()[-1]) for l in srv.metric("graphstyle_requests_total") if 'route="/v1/stylize"' in l)
hits_before, misses_before = counter("graphstyle_style_cache_hits_total"), counter("graphstyle_style_cache_misses_total")
t_load = time.time()
with concurrent.futures.ThreadPoolExecutor(16) as pool:
    list(pool.map(client, range(200)))
t_load = time.time() - t_load
after = sum(float(l.split()[-1]) for l in srv.metric("graphstyle_requests_total") if 'route="/v1/stylize"' in l)
peak = float(next(srv.metric("graphstyle_peak_resident_memory_bytes")).split()[-1])
hits = counter("graphstyle_style_cache_hits_total") - hits_before
misses = counter("graphstyle_style_cache_misses_total") - misses_before
with open(f"/proc/{srv.proc.pid}/status") as f:
    hwm_kb = next(int(l.split()[1]) for l in f if l.startswith("VmHWM"))
print(f"4. load: 200 requests, 16 clients, {t_load:.1f} s: statuses {statuses}; peak RSS {peak / 2**20:.0f} MB "
      f"(VmHWM {hwm_kb // 1024} MB); style cache hits {hits:.0f}, misses {misses:.0f}")
if set(statuses) - {200, 503} or sum(statuses.values()) != 200:
    fail(f"load: statuses {statuses}")
if statuses.get(200, 0) < 20:
    fail(f"load: only {statuses.get(200, 0)} requests served")
if mixed_up:
    fail(f"load: {len(mixed_up)} answers differ from their inputs' (first {mixed_up[0]})")
if no_retry_after:
    fail(f"load: {len(no_retry_after)} 503s without Retry-After")
if after - before != 200:
    fail(f"load: /metrics counted {after - before} requests, expected 200")
if peak > 1.5 * 2**30:
    fail(f"load: peak RSS {peak / 2**20:.0f} MB is over 1.5 GB")
if misses != 0 or hits != statuses.get(200, 0):
    fail(f"load: style cache {hits} hits, {misses} misses: the one style, encoded before, should always be a hit")

# 5. SIGTERM with a request in flight: it is answered, then the server exits 0.
answer = {}
inflight = threading.Thread(target=lambda: answer.update(r=srv.post("/v1/stylize", good[:2] + [("size", "128", None)])))
inflight.start()
for _ in range(200):  # until a worker has it
    if any(l.split()[-1] != "0" for l in srv.metric("graphstyle_workers_busy")):
        break
    time.sleep(0.01)
code, out = srv.stop()
inflight.join()
if code != 0:
    fail(f"SIGTERM: exit status {code}: {out}")
if answer.get("r", (None,))[0] != 200:
    fail(f"SIGTERM: the request in flight got {answer.get('r', (None,))[0]}")

# --timeout: past its time limit a request is answered 503 with Retry-After.
srv2 = Server(model, "--timeout", "0.001")
status, headers, body = srv2.post("/v1/stylize", good)
if status != 503 or "Retry-After" not in headers or b"time limit" not in body:
    fail(f"--timeout: {status} {headers} {body[:200]}")
code, _ = srv2.stop()
if code != 0:
    fail(f"SIGTERM (idle): exit status {code}")
print(f"5. SIGTERM drains and exits 0; --timeout answers 503 ({time.time() - t0:.1f} s)")

subprocess.run(["rm", "-rf", tmp])
if failures:
    print(f"{len(failures)} failure(s)")
    sys.exit(1)
print("serve: all checks passed")
