"""web: the sample stack's page, in Python with the standard library only.

It names no port. `berth up` gives it $PORT (its own berth, the same every run) and
GATEWAY_URL, gateway's address by name (`${gateway/http.url}` in berth.yaml), resolved from the
registry when it starts.

    GET /               an HTML page of the products, fetched from gateway
    GET /products.json  the same as JSON, with the gateway it came from
"""
import json
import os
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

GATEWAY_URL = os.environ["GATEWAY_URL"]


def products():
    """gateway's GET /products: {"products": [{"sku": ..., "name": ..., "priceCents": ...}]}."""
    with urllib.request.urlopen(GATEWAY_URL + "/products", timeout=2) as reply:
        return json.load(reply)["products"]


class Page(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path not in ("/", "/products.json"):
            return self.reply(404, "text/plain", "no page %s (expected: / or /products.json)\n" % self.path)
        try:
            items = products()
        except (OSError, urllib.error.URLError, ValueError) as e:
            return self.reply(502, "text/plain", "gateway at %s: %s\n" % (GATEWAY_URL, e))
        if self.path == "/products.json":
            return self.reply(200, "application/json",
                              json.dumps({"gateway": GATEWAY_URL, "products": items}) + "\n")
        rows = "".join("<li>%s: %.2f</li>" % (p["name"], p.get("priceCents", 0) / 100) for p in items)
        self.reply(200, "text/html; charset=utf-8",
                   "<!doctype html><title>shop</title><h1>Products</h1><ul>%s</ul>"
                   "<p>from gateway at %s, found by name</p>\n" % (rows, GATEWAY_URL))

    def reply(self, status, content_type, body):
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def exit_with(pid):
    """berth demo sets BERTH_SAMPLE_PARENT_PID, so that nothing it starts outlives it."""
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            os._exit(0)
        time.sleep(1)


if __name__ == "__main__":
    if os.environ.get("BERTH_SAMPLE_PARENT_PID"):
        threading.Thread(target=exit_with, args=(int(os.environ["BERTH_SAMPLE_PARENT_PID"]),),
                         daemon=True).start()
    server = ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Page)
    print("web serving http on 127.0.0.1:%d (pid %d), gateway at %s"
          % (server.server_port, os.getpid(), GATEWAY_URL), flush=True)
    server.serve_forever()
