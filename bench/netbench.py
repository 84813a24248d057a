"""Networking benchmarks for bench.py: published ports (NAT and userland proxy) against direct container access,
and the time to attach a container to a network, for Keel and dockerd side by side.

All traffic stays on the host: the host talks to containers on a bridge the daemon made, through loopback or the
bridge's own gateway address. Nothing leaves the machine.
"""

import json
import socket
import statistics
import time

# busybox httpd serving a small page (connection rate, latency) and a big file (throughput).
HTTPD = ("mkdir -p /www && echo ok > /www/small && head -c %d /dev/zero > /www/big && "
         "exec httpd -f -p 80 -h /www")


def http_get(host, port, path, timeout=10.0):
    """One HTTP/1.0 GET on a fresh connection; returns (bytes of body, seconds)."""
    t = time.perf_counter()
    s = socket.create_connection((host, port), timeout=timeout)
    try:
        s.sendall(("GET %s HTTP/1.0\r\nHost: bench\r\n\r\n" % path).encode())
        total = 0
        head = b""
        while True:
            data = s.recv(1 << 20)
            if not data:
                break
            if head is not None:
                head += data
                if b"\r\n\r\n" in head:
                    total += len(head.split(b"\r\n\r\n", 1)[1])
                    head = None
            else:
                total += len(data)
    finally:
        s.close()
    return total, time.perf_counter() - t


def throughput_mb_s(host, port, size):
    got, secs = http_get(host, port, "/big", timeout=60.0)
    if got != size:
        raise RuntimeError("short read from %s:%d: %d of %d bytes" % (host, port, got, size))
    return size / secs / 1e6


def latency_and_rate(host, port, n):
    times = [http_get(host, port, "/small")[1] * 1000 for _ in range(n)]
    return statistics.median(times), 1000.0 / statistics.mean(times)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def measure(d, subnets, size_mb, requests, attach_runs):
    """Runs the measurements against one daemon (a bench.Daemon) on two user-defined networks of its own on the
    given test subnets; returns a dict of results."""
    size = size_mb * 1024 * 1024
    d.docker("network", "create", "--subnet", subnets[0], "benchnet")
    d.docker("network", "create", "--subnet", subnets[1], "benchnet2")
    port = free_port()
    cid = d.docker("run", "-d", "--network", "benchnet", "-p", "127.0.0.1:%d:80" % port, "-p", "%d:80" % (port + 1),
                   "busybox", "sh", "-c", HTTPD % size).strip()
    net = json.loads(d.docker("inspect", cid))[0]["NetworkSettings"]["Networks"]["benchnet"]
    ip, gateway = net["IPAddress"], net["Gateway"]
    deadline = time.time() + 20
    while True:
        try:
            http_get(ip, 80, "/small", timeout=2)
            break
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.2)
    paths = {
        "direct (container IP)": (ip, 80),
        "published, 127.0.0.1": ("127.0.0.1", port),
        "published, gateway address": (gateway, port + 1),
    }
    out = {}
    for name, (h, p) in paths.items():
        throughput_mb_s(h, p, size)  # warm-up
        mbs = statistics.median(throughput_mb_s(h, p, size) for _ in range(3))
        lat, rate = latency_and_rate(h, p, requests)
        out[name] = (mbs, lat, rate)
    d.docker("rm", "-f", cid)

    attach = []
    for _ in range(attach_runs):
        c = d.docker("run", "-d", "--network", "benchnet", "busybox", "sleep", "300").strip()
        t = time.perf_counter()
        d.docker("network", "connect", "benchnet2", c)
        attach.append((time.perf_counter() - t) * 1000)
        d.docker("rm", "-f", c)
    d.docker("network", "rm", "benchnet", "benchnet2")
    out["attach"] = statistics.median(attach)
    return out


def report(results, names, size_mb, requests):
    lines = ["", "Published ports (busybox httpd in a container; the host fetches a %d MB file and %d small pages, "
             "one connection each):" % (size_mb, requests), "",
             "| path | " + " | ".join("%s MB/s, latency ms, conn/s" % n for n in names) + " |",
             "|---|" + "---|" * len(names)]
    for path in ["direct (container IP)", "published, 127.0.0.1", "published, gateway address"]:
        lines.append("| %s | " % path + " | ".join(
            "%.0f, %.2f, %.0f" % results[n][path] for n in names) + " |")
    lines.append("| `docker network connect`, median ms | " + " | ".join("%.1f" % results[n]["attach"]
                                                                          for n in names) + " |")
    return lines
