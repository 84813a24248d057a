"""A Docker Engine API server that does nothing, as fast as it can: the floor of what `docker run --rm` costs
with any daemon, since the CLI's own start-up, its five requests and its exit remain.

It answers exactly the requests `docker run --rm busybox true` makes (ping, create, attach, wait, start), with
the shapes the CLI needs: the wait response's headers at once and its body once the container "ran", the attach
stream upgraded and closed after start.
"""

import json
import os
import socket
import threading

HEADERS = "Api-Version: 1.50\r\nServer: NullApi/1.0\r\nOstype: linux\r\n"


class NullApi:
    def __init__(self, path):
        self.path = path
        if os.path.exists(path):
            os.unlink(path)
        self.server = socket.socket(socket.AF_UNIX)
        self.server.bind(path)
        self.server.listen(64)
        self.started = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def close(self):
        self.server.close()
        if os.path.exists(self.path):
            os.unlink(self.path)

    def _serve(self):
        while True:
            try:
                c, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(c,), daemon=True).start()

    @staticmethod
    def _reply(c, status, body=b"", ctype="application/json"):
        c.sendall(("HTTP/1.1 %s\r\n%sContent-Type: %s\r\nContent-Length: %d\r\n\r\n"
                   % (status, HEADERS, ctype, len(body))).encode() + body)

    def _handle(self, c):
        with c:
            f = c.makefile("rb")
            while True:
                line = f.readline()
                if not line:
                    return
                method, target = line.decode().split(" ")[:2]
                path = target.split("?")[0]
                length = 0
                while True:
                    h = f.readline().decode()
                    if h in ("\r\n", ""):
                        break
                    if h.lower().startswith("content-length:"):
                        length = int(h.split(":")[1])
                if length:
                    f.read(length)
                if path.endswith("/_ping"):
                    self._reply(c, "200 OK", b"" if method == "HEAD" else b"OK", "text/plain")
                elif path.endswith("/containers/create"):
                    self.started.clear()
                    self._reply(c, "201 Created", json.dumps({"Id": "0" * 64, "Warnings": []}).encode())
                elif path.endswith("/attach"):
                    c.sendall(("HTTP/1.1 101 UPGRADED\r\n%sContent-Type: application/vnd.docker.raw-stream\r\n"
                               "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n" % HEADERS).encode())
                    self.started.wait(10)
                    return
                elif path.endswith("/wait"):
                    c.sendall(("HTTP/1.1 200 OK\r\n%sContent-Type: application/json\r\n"
                               "Transfer-Encoding: chunked\r\n\r\n" % HEADERS).encode())
                    self.started.wait(10)
                    body = b'{"StatusCode":0}\n'
                    c.sendall(b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body))
                elif path.endswith("/start"):
                    self._reply(c, "204 No Content")
                    self.started.set()
                else:
                    self._reply(c, "404 Not Found", b'{"message":"not served by the null API"}')
