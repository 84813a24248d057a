#!/usr/bin/env python3
"""Keel vs dockerd, side by side in one run (see bench/README.md).

Both daemons run on private sockets and directories under one scratch directory; every measurement goes
through the same docker CLI so the client is identical; iterations alternate between the two daemons so that
background noise hits both alike.
"""

import argparse
import datetime
import io
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time

import netbench
import nullapi

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCKER = shutil.which("docker") or "/usr/bin/docker"


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def sh(cmd, host=None, check=True, quiet=True, input=None):
    env = dict(os.environ)
    if host:
        env["DOCKER_HOST"] = host
    env["DOCKER_CONFIG"] = os.path.join(WORK, "docker-config")
    r = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, input=input)
    if check and r.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (" ".join(cmd), r.returncode, r.stderr.decode()))
    return r.stdout.decode()


class Daemon:
    def __init__(self, name, sock, pidfile, proc):
        self.name, self.sock, self.pidfile, self.proc = name, sock, pidfile, proc
        self.host = "unix://" + sock

    def docker(self, *args, check=True, input=None):
        return sh([DOCKER] + list(args), host=self.host, check=check, input=input)

    # The daemon's own processes, not the containers' payload: keeld is one JVM; dockerd's side is dockerd,
    # containerd, one containerd-shim per container and docker-proxy per published port.
    DAEMON_COMMS = {"java", "dockerd", "containerd", "containerd-shim", "containerd-shim-runc-v2", "docker-proxy",
                    "runc"}

    def pids(self):
        """The daemon's processes: the daemon and its descendants, plus detached shims that name our dirs,
        keeping those that are daemon code (DAEMON_COMMS), not what runs in the containers."""
        root = int(open(self.pidfile).read().strip())
        pids, children, comm = {root}, {}, {}
        for p in os.listdir("/proc"):
            if not p.isdigit():
                continue
            try:
                with open("/proc/%s/stat" % p) as f:
                    stat = f.read()
                comm[int(p)] = stat[stat.index("(") + 1:stat.rindex(")")]
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(p))
                with open("/proc/%s/cmdline" % p, "rb") as f:
                    cmdline = f.read().decode(errors="replace")
                if "containerd-shim" in cmdline and WORK in cmdline:
                    pids.add(int(p))
            except (OSError, ValueError, IndexError):
                pass
        todo = list(pids)
        while todo:
            for c in children.get(todo.pop(), []):
                if c not in pids:
                    pids.add(c)
                    todo.append(c)
        return {p for p in pids if comm.get(p) in self.DAEMON_COMMS}

    def rss_kib(self):
        total = 0
        for p in self.pids():
            try:
                with open("/proc/%d/status" % p) as f:
                    for line in f:
                        if line.startswith("VmRSS:"):
                            total += int(line.split()[1])
            except OSError:
                pass
        return total

    def stop(self):
        try:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=60)
        except Exception:
            self.proc.kill()


def wait_ping(sock, proc, what, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("%s exited early, see %s" % (what, WORK))
        r = subprocess.run(["curl", "-s", "--unix-socket", sock, "http://x/_ping"], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL)
        if r.stdout == b"OK":
            return
        time.sleep(0.05)
    raise RuntimeError("%s did not answer in %d s" % (what, timeout))


# Both daemons run without a default bridge (-b none): containers in the default mode get loopback only, so
# that run and start times compare the engines, and neither touches the host's docker0. The network benchmark
# makes a user-defined network of its own on each daemon, on a test subnet.
KEEL_SUBNETS = ("198.18.251.0/24", "198.18.252.0/24")
DOCKER_SUBNETS = ("198.18.253.0/24", "198.18.254.0/24")


def start_keel(networking, extra=(), tag="keel"):
    d = os.path.join(WORK, tag)
    os.makedirs(d)
    sock, pidfile = os.path.join(d, "keel.sock"), os.path.join(d, "keel.pid")
    out = open(os.path.join(d, "keeld.log"), "w")
    flags = ["-b", "none"] + ([] if networking else ["--iptables=false", "--ip-forward=false"]) + list(extra)
    proc = subprocess.Popen([os.path.join(REPO, "bin/keeld"), "-H", "unix://" + sock, "--data-root",
                             os.path.join(d, "data"), "--exec-root", os.path.join(d, "exec"), "--pidfile", pidfile]
                            + flags, stdout=out, stderr=subprocess.STDOUT)
    wait_ping(sock, proc, "keeld")
    return Daemon("Keel", sock, pidfile, proc)


def start_dockerd(networking, extra=(), tag="docker"):
    if not shutil.which("dockerd"):
        log("installing Debian's docker.io (dockerd, containerd, runc) for the comparison")
        subprocess.run(["apt-get", "install", "-y", "-qq", "docker.io"], check=True,
                       env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"), stdout=subprocess.DEVNULL)
    d = os.path.join(WORK, tag)
    os.makedirs(d)
    sock, pidfile = os.path.join(d, "docker.sock"), os.path.join(d, "docker.pid")
    out = open(os.path.join(d, "dockerd.log"), "w")
    # No default bridge; iptables only for the network benchmark (main() restores the host's rules after it).
    flags = (["--bridge=none"] + ([] if networking else ["--iptables=false", "--ip-forward=false", "--ip-masq=false"])
             + list(extra))
    proc = subprocess.Popen(["dockerd", "-H", "unix://" + sock, "--data-root", os.path.join(d, "data"),
                             "--exec-root", os.path.join(d, "exec"), "--pidfile", pidfile, "--storage-driver=overlay2",
                             "--log-level=error"] + flags, stdout=out, stderr=subprocess.STDOUT)
    wait_ping(sock, proc, "dockerd")
    return Daemon("dockerd", sock, pidfile, proc)


def busybox_rootfs():
    root = os.path.join(WORK, "rootfs")
    os.makedirs(os.path.join(root, "bin"))
    os.makedirs(os.path.join(root, "etc"))
    os.makedirs(os.path.join(root, "tmp"))
    shutil.copy("/bin/busybox", os.path.join(root, "bin/busybox"))
    applets = subprocess.run(["/bin/busybox", "--list"], stdout=subprocess.PIPE).stdout.decode().split()
    for a in applets:
        if a != "busybox":
            os.symlink("busybox", os.path.join(root, "bin", a))
    with open(os.path.join(root, "etc/passwd"), "w") as f:
        f.write("root:x:0:0:root:/root:/bin/sh\n")
    tarball = os.path.join(WORK, "rootfs.tar")
    subprocess.run(["tar", "-C", root, "--numeric-owner", "-cf", tarball, "."], check=True)
    return tarball


def timed(fn):
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000.0


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))]


def bench_run_rm(daemons, runs, warmup, block=10):
    """`docker run --rm busybox true`, `runs` times per daemon. Each daemon is warmed up first (`warmup` runs: a
    daemon in use has run containers before, and Keel's JIT compiles its start path in its first runs). Then the
    daemons take turns in blocks of `block` runs each, and the first run of a block is not counted: a daemon goes on
    working for some milliseconds after its CLI returned (dockerd's containerd and shims, Keel's clean-up of the
    container), and that tail is the daemon's own, to fall on its own next run, not on the other daemon's first.
    Alternating single runs instead billed each daemon's tail to the other (Keel ~2-3 ms slower, dockerd ~2-3 ms
    faster than in blocks)."""
    def run(d):
        return timed(lambda: d.docker("run", "--rm", "busybox", "true"))
    times = {d.name: [] for d in daemons}
    fresh = {}
    for d in daemons:
        first = [run(d) for _ in range(warmup)]
        fresh[d.name] = statistics.median(first[:20]) if first else float("nan")
    while any(len(v) < runs for v in times.values()):
        for d in daemons:
            left = runs - len(times[d.name])
            if left <= 0:
                continue
            run(d)  # settles: the other daemon's tail falls here
            times[d.name] += [run(d) for _ in range(min(block, left))]
    return {n: (statistics.median(v), pct(v, 90)) for n, v in times.items()}, fresh


def bench_cli_floor(daemons, runs):
    """The part of a command's time that no daemon can remove: `docker version` against each daemon (the CLI's
    start-up and exit plus one request), and `docker run --rm busybox true` against an API server that does
    nothing (bench/nullapi.py)."""
    times = {d.name: [] for d in daemons}
    for _ in range(runs):
        for d in daemons:
            times[d.name].append(timed(lambda: d.docker("version")))
    null = nullapi.NullApi(os.path.join(WORK, "null.sock"))
    try:
        host = "unix://" + null.path
        run = [timed(lambda: sh([DOCKER, "run", "--rm", "busybox", "true"], host=host)) for _ in range(runs)]
    finally:
        null.close()
    return {"version": {n: statistics.median(v) for n, v in times.items()}, "run": statistics.median(run)}


def bench_parallel(d, count):
    def launch():
        procs = [subprocess.Popen([DOCKER, "-H", d.host, "run", "-d", "busybox", "sleep", "300"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for _ in range(count)]
        for p in procs:
            if p.wait() != 0:
                raise RuntimeError("%s: docker run -d failed: %s" % (d.name, p.stderr.read().decode()))
    ms = timed(launch)
    running = len(d.docker("ps", "-q").split())
    return ms, running


def bench_logs(d, megabytes):
    # base64 of random bytes: ~76-character lines, 4/3 the input size.
    cid = d.docker("run", "-d", "busybox", "sh", "-c",
                   "head -c %d /dev/urandom | base64" % (megabytes * 3 * 1024 * 1024 // 4)).strip()
    d.docker("wait", cid)
    reads = []
    for _ in range(3):
        reads.append(timed(lambda: sh([DOCKER, "logs", cid], host=d.host)))
    size = len(sh([DOCKER, "logs", cid], host=d.host))
    d.docker("rm", "-f", cid)
    return statistics.median(reads), size


def big_rootfs(megabytes):
    """A rootfs tarball of `megabytes` of random data in 16 MiB files (random, so that no layer of either engine
    compresses or deduplicates it away)."""
    path = os.path.join(WORK, "big-rootfs.tar")
    with tarfile.open(path, "w") as tar:
        left, i = megabytes, 0
        while left > 0:
            n = min(16, left)
            data = os.urandom(n * 1024 * 1024)
            info = tarfile.TarInfo("data/blob%d" % i)
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
            left -= n
            i += 1
    return path


def bench_images(daemons, rootfs, rounds=3):
    """`docker import` of the rootfs, `docker save -o` of the image, `docker rmi`, `docker load -i` of the saved
    tar: median ms of each, rounds alternating between the daemons."""
    times = {d.name: {"import": [], "save": [], "load": []} for d in daemons}
    for r in range(rounds):
        for d in daemons:
            out = os.path.join(WORK, "saved-%s.tar" % d.name)
            t = times[d.name]
            t["import"].append(timed(lambda: d.docker("import", rootfs, "big:%d" % r)))
            t["save"].append(timed(lambda: d.docker("save", "-o", out, "big:%d" % r)))
            d.docker("rmi", "big:%d" % r)
            t["load"].append(timed(lambda: d.docker("load", "-i", out)))
            d.docker("rmi", "big:%d" % r)
            os.unlink(out)
    return {n: {k: statistics.median(v) for k, v in t.items()} for n, t in times.items()}


class HostNetworkState:
    """The host's firewall rules and forwarding switch, saved before the daemons start and put back after: both
    daemons add chains of their own (as they do on any host) and leave them when they stop."""

    def __init__(self):
        self.rules = subprocess.run(["iptables-save"], stdout=subprocess.PIPE, check=True).stdout
        with open("/proc/sys/net/ipv4/ip_forward") as f:
            self.forward = f.read().strip()

    def restore(self):
        subprocess.run(["iptables-restore"], input=self.rules, check=False)
        with open("/proc/sys/net/ipv4/ip_forward", "w") as f:
            f.write(self.forward)


def main():
    global WORK
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true", help="a few iterations against Keel only")
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--warmup", type=int, default=100, help="runs per daemon before run --rm is timed")
    ap.add_argument("--parallel", type=int, default=50)
    ap.add_argument("--log-mb", type=int, default=100)
    ap.add_argument("--image-mb", type=int, default=128, help="size of the image imported, saved and loaded")
    ap.add_argument("--net-mb", type=int, default=256, help="size of the file fetched through published ports")
    ap.add_argument("--net-requests", type=int, default=300, help="small pages fetched per path")
    ap.add_argument("--no-net", action="store_true", help="skip the network benchmark (no firewall changes)")
    args = ap.parse_args()
    if args.smoke:
        args.runs, args.parallel, args.log_mb, args.net_mb, args.net_requests = 3, 5, 1, 1, 5
        args.warmup = 2
        args.image_mb = 4
    networking = not args.no_net

    WORK = tempfile.mkdtemp(prefix="keel-bench-", dir="/var/tmp")
    daemons = []
    host_net = HostNetworkState() if networking else None
    try:
        log("building the busybox image from Debian's static busybox")
        tarball = busybox_rootfs()
        daemons.append(start_keel(networking))
        if not args.smoke:
            daemons.append(start_dockerd(networking))
        for d in daemons:
            d.docker("import", "-c", 'CMD ["sh"]', tarball, "busybox:latest")

        results = {}
        log("docker run --rm busybox true x %d per daemon, in blocks of 10 taking turns, after %d to warm up"
            % (args.runs, args.warmup))
        results["run"], results["fresh"] = bench_run_rm(daemons, args.runs, args.warmup)
        results["floor"] = bench_cli_floor(daemons, args.runs)
        for d in daemons:
            idle = d.rss_kib()
            log("%s: %d parallel starts" % (d.name, args.parallel))
            ms, running = bench_parallel(d, args.parallel)
            busy = d.rss_kib()
            results.setdefault("parallel", {})[d.name] = (ms, running)
            results.setdefault("memory", {})[d.name] = (idle, busy)
            d.docker("rm", "-f", *d.docker("ps", "-aq").split())
        for d in daemons:
            log("%s: %d MB of logs" % (d.name, args.log_mb))
            results.setdefault("logs", {})[d.name] = bench_logs(d, args.log_mb)
        log("import, save and load of a %d MB image" % args.image_mb)
        results["images"] = bench_images(daemons, big_rootfs(args.image_mb), 1 if args.smoke else 3)
        if networking:
            for d in daemons:
                log("%s: published ports and network connect" % d.name)
                subnets = KEEL_SUBNETS if d.name == "Keel" else DOCKER_SUBNETS
                results.setdefault("net", {})[d.name] = netbench.measure(d, subnets, args.net_mb,
                                                                         args.net_requests, min(args.runs, 20))
            # 127.0.0.1 once more through NAT alone: each engine again, restarted with --userland-proxy=false.
            for d in list(daemons):
                d.stop()
                daemons.remove(d)
                log("%s: published port on 127.0.0.1 with --userland-proxy=false" % d.name)
                start = start_keel if d.name == "Keel" else start_dockerd
                nat = start(True, ["--userland-proxy=false"], d.name.lower() + "-nat")
                daemons.append(nat)
                nat.docker("import", "-c", 'CMD ["sh"]', tarball, "busybox:latest")
                subnet = (KEEL_SUBNETS if d.name == "Keel" else DOCKER_SUBNETS)[0]
                results["net"][d.name][netbench.NAT_LOOPBACK] = netbench.measure_nat_loopback(
                    nat, subnet, args.net_mb, args.net_requests)
        report(results, daemons, args)
    finally:
        for d in daemons:
            for net in ("benchnet", "benchnet2"):
                d.docker("network", "rm", net, check=False)
            d.stop()
        subprocess.run(["sh", "-c", "grep -o ' %s[^ ]*' /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l"
                        % WORK], stderr=subprocess.DEVNULL)
        shutil.rmtree(WORK, ignore_errors=True)
        if host_net:
            host_net.restore()


def report(r, daemons, args):
    names = [d.name for d in daemons]
    lines = ["# Keel benchmark, %s" % datetime.datetime.now().strftime("%Y-%m-%d %H:%M"), "",
             "Host: %s, %d CPUs; kernel %s; docker CLI %s." % (os.uname().nodename, os.cpu_count(),
                                                              os.uname().release,
                                                              sh([DOCKER, "--version"]).strip()),
             "", "| | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    lines.append("| `docker run --rm busybox true`, median (p90), ms, n=%d after %d to warm up | "
                 % (args.runs, args.warmup)
                 + " | ".join("%.1f (%.1f)" % r["run"][n] for n in names) + " |")
    lines.append("| the same, a fresh daemon's first 20 runs (the warm-up), median ms | "
                 + " | ".join("%.1f" % r["fresh"][n] for n in names) + " |")
    lines.append("| `docker version` (the CLI's own floor), median ms | "
                 + " | ".join("%.1f" % r["floor"]["version"][n] for n in names) + " |")
    lines.append("| `docker run --rm busybox true` against a do-nothing API server (the CLI's floor for run), "
                 "median ms | " + " | ".join("%.1f" % r["floor"]["run"] for n in names) + " |")
    lines.append("| %d parallel `docker run -d`, wall ms | " % args.parallel
                 + " | ".join("%.0f (%d running)" % r["parallel"][n] for n in names) + " |")
    lines.append("| daemon RSS idle, MiB | " + " | ".join("%.1f" % (r["memory"][n][0] / 1024) for n in names) + " |")
    lines.append("| daemon RSS with %d running, MiB | " % args.parallel
                 + " | ".join("%.1f" % (r["memory"][n][1] / 1024) for n in names) + " |")
    lines.append("| per running container, KiB | " + " | ".join(
        "%.0f" % ((r["memory"][n][1] - r["memory"][n][0]) / max(1, args.parallel)) for n in names) + " |")
    lines.append("| `docker logs` of %d MB, ms (bytes) | " % args.log_mb
                 + " | ".join("%.0f (%d)" % r["logs"][n] for n in names) + " |")
    for op in ("import", "save", "load"):
        flag = {"import": "", "save": " -o", "load": " -i"}[op]
        lines.append("| `docker %s%s` of a %d MB image, median ms | " % (op, flag, args.image_mb)
                     + " | ".join("%.0f" % r["images"][n][op] for n in names) + " |")
    if "net" in r:
        lines += netbench.report(r["net"], names, args.net_mb, args.net_requests)
    if len(names) == 2:
        k, d = names
        floor = r["floor"]["run"]
        lines += ["", "Keel vs dockerd: run --rm %.1fx faster (%.1fx on the time above the CLI's floor for run); logs "
                  "read back %.1fx faster." % (r["run"][d][0] / r["run"][k][0],
                                               (r["run"][d][0] - floor) / max(0.1, r["run"][k][0] - floor),
                                               r["logs"][d][0] / r["logs"][k][0])]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.smoke:
        os.makedirs(os.path.join(REPO, "bench/results"), exist_ok=True)
        with open(os.path.join(REPO, "bench/results", datetime.datetime.now().strftime("%Y%m%d-%H%M.md")), "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
