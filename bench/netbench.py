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


def _serve(d, network, publish, size):
    """Starts busybox httpd serving a `size`-byte file on `network` with the given -p specs; returns (container id,
    its IP, the gateway) once it answers on its own address."""
    args = ["run", "-d", "--network", network]
    for p in publish:
        args += ["-p", p]
    cid = d.docker(*(args + ["busybox", "sh", "-c", HTTPD % size])).strip()
    net = json.loads(d.docker("inspect", cid))[0]["NetworkSettings"]["Networks"][network]
    ip, gateway = net["IPAddress"], net["Gateway"]
    deadline = time.time() + 20
    while True:
        try:
            http_get(ip, 80, "/small", timeout=2)
            return cid, ip, gateway
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.2)


def _path(host, port, size, requests):
    """(MB/s median of 3 after a warm-up, median latency ms, connections/s) on one path."""
    throughput_mb_s(host, port, size)
    mbs = statistics.median(throughput_mb_s(host, port, size) for _ in range(3))
    lat, rate = latency_and_rate(host, port, requests)
    return mbs, lat, rate


def measure(d, subnets, size_mb, requests, attach_runs):
    """Runs the measurements against one daemon (a bench.Daemon) on two user-defined networks of its own on the
    given test subnets; returns a dict of results."""
    size = size_mb * 1024 * 1024
    d.docker("network", "create", "--subnet", subnets[0], "benchnet")
    d.docker("network", "create", "--subnet", subnets[1], "benchnet2")
    port = free_port()
    cid, ip, gateway = _serve(d, "benchnet", ["127.0.0.1:%d:80" % port, "%d:80" % (port + 1)], size)
    out = {
        "direct (container IP)": _path(ip, 80, size, requests),
        "published, 127.0.0.1": _path("127.0.0.1", port, size, requests),
        "published, gateway address": _path(gateway, port + 1, size, requests),
    }
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


NAT_LOOPBACK = "published, 127.0.0.1, userland-proxy=false (NAT)"


def measure_nat_loopback(d, subnet, size_mb, requests):
    """The 127.0.0.1 path on a daemon started with --userland-proxy=false: NAT instead of the proxy."""
    size = size_mb * 1024 * 1024
    d.docker("network", "create", "--subnet", subnet, "benchnet")
    port = free_port()
    cid = _serve(d, "benchnet", ["127.0.0.1:%d:80" % port], size)[0]
    try:
        return _path("127.0.0.1", port, size, requests)
    finally:
        d.docker("rm", "-f", cid)
        d.docker("network", "rm", "benchnet")


def report(results, names, size_mb, requests):
    lines = ["", "Published ports (busybox httpd in a container; the host fetches a %d MB file and %d small pages, "
             "one connection each):" % (size_mb, requests), "",
             "| path | " + " | ".join("%s MB/s, latency ms, conn/s" % n for n in names) + " |",
             "|---|" + "---|" * len(names)]
    for path in ["direct (container IP)", "published, 127.0.0.1", "published, gateway address", NAT_LOOPBACK]:
        if not all(path in results[n] for n in names):
            continue
        lines.append("| %s | " % path + " | ".join(
            "%.0f, %.2f, %.0f" % results[n][path] for n in names) + " |")
    lines.append("| `docker network connect`, median ms | " + " | ".join("%.1f" % results[n]["attach"]
                                                                          for n in names) + " |")
    return lines
