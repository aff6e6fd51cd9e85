#!/usr/bin/env python3
"""graphstyle serve against one CLI process per image: requests per second and p50/p99 latency.

  usage: dev/bench_serve.py path/to/graphstyle MODEL.h5 IMAGES_DIR [--sizes 256,512] [--n 12] [--clients 1]

IMAGES_DIR has content/ and style/ (../shared/images). One style (starry_night.jpg), the contents in
turn. The server runs with --workers = clients and a warm style cache (one request first); the CLI runs
`graphstyle stylize` once per image, one after another (model load, style encoding and process start
included, as a script would). Both with the environment's OMP_NUM_THREADS. Python's standard library.
"""
import argparse
import http.client
import os
import statistics
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

ap = argparse.ArgumentParser()
ap.add_argument("graphstyle")
ap.add_argument("model")
ap.add_argument("images")
ap.add_argument("--sizes", default="256,512")
ap.add_argument("--n", type=int, default=12)
ap.add_argument("--clients", type=int, default=1)
a = ap.parse_args()
contents = sorted(os.path.join(a.images, "content", f) for f in os.listdir(os.path.join(a.images, "content")))
style = os.path.join(a.images, "style", "starry_night.jpg")


def percentile(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def post(port, content, size):
    boundary = "benchBoundary"
    body = b""
    for name, data, filename in (("content", open(content, "rb").read(), "c.jpg"), ("style", open(style, "rb").read(), "s.jpg"),
                                 ("size", str(size).encode(), None)):
        body += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'.encode()
        body += (f'; filename="{filename}"\r\n'.encode() if filename else b"\r\n") + b"\r\n" + data + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    t = time.time()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    conn.request("POST", "/v1/stylize", body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    r = conn.getresponse()
    r.read()
    conn.close()
    if r.status != 200:
        raise SystemExit(f"status {r.status}")
    return time.time() - t


server = subprocess.Popen([a.graphstyle, "serve", "--model", a.model, "--port", "0", "--workers", str(a.clients),
                           "--queue", "64"], stdout=subprocess.PIPE, text=True)
port = int(server.stdout.readline().split("127.0.0.1:")[1].split("/")[0])
tmp = tempfile.mkdtemp()
print(f"| size | how | requests | req/s | p50 s | p99 s |\n|---|---|---|---|---|---|")
try:
    for size in map(int, a.sizes.split(",")):
        post(port, contents[0], size)  # warms the style cache (and the workers' contexts)
        jobs = [contents[i % len(contents)] for i in range(a.n)]
        t0 = time.time()
        with ThreadPoolExecutor(a.clients) as pool:
            lat = list(pool.map(lambda c: post(port, c, size), jobs))
        wall = time.time() - t0
        print(f"| {size} | serve, {a.clients} client(s), warm style cache | {a.n} | {a.n / wall:.2f} | "
              f"{statistics.median(lat):.2f} | {percentile(lat, 99):.2f} |", flush=True)
        lat = []
        t0 = time.time()
        for c in jobs:
            t = time.time()
            subprocess.run([a.graphstyle, "stylize", "--model", a.model, "--content", c, "--style", style, "--size",
                            str(size), "--out", os.path.join(tmp, "out.png")], check=True, stdout=subprocess.DEVNULL)
            lat.append(time.time() - t)
        wall = time.time() - t0
        print(f"| {size} | one CLI process per image | {a.n} | {a.n / wall:.2f} | {statistics.median(lat):.2f} | "
              f"{percentile(lat, 99):.2f} |", flush=True)
finally:
    server.terminate()
    server.wait()
