#!/usr/bin/env python3
"""Where the time of `docker run --rm busybox true` goes on the daemon side: the requests the docker CLI makes
(create, attach, wait, start, and the wait's answer once the container is removed), timed one by one over the
daemon's socket. Usage: bench/run_latency.py /path/to/daemon.sock [runs]. A diagnostic, not the benchmark:
bench/run compares Keel with dockerd.
"""
import socket, json, time, sys
SOCK=sys.argv[1]
def conn():
    s=socket.socket(socket.AF_UNIX); s.connect(SOCK); return s
def req(s, method, path, body=None, upgrade=False):
    b=json.dumps(body).encode() if body is not None else b""
    h=f"{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {len(b)}\r\n"
    if upgrade: h+="Connection: Upgrade\r\nUpgrade: tcp\r\n"
    s.sendall(h.encode()+b"\r\n"+b)
def resp(s):
    data=b""
    while b"\r\n\r\n" not in data: data+=s.recv(65536)
    head,rest=data.split(b"\r\n\r\n",1)
    cl=[l for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")]
    if cl:
        n=int(cl[0].split(b":")[1])
        while len(rest)<n: rest+=s.recv(65536)
    return head.split(b"\r\n")[0], rest
tot={}
RUNS=int(sys.argv[2]) if len(sys.argv)>2 else 30
for i in range(RUNS):
    t0=time.perf_counter()
    a=conn(); req(a,"POST","/v1.50/containers/create",{"Image":"busybox","Cmd":["true"],"HostConfig":{"AutoRemove":True},"AttachStdout":True,"AttachStderr":True}); st,b=resp(a); cid=json.loads(b)["Id"]
    t1=time.perf_counter()
    h=conn(); req(h,"POST",f"/v1.50/containers/{cid}/attach?stream=1&stdout=1&stderr=1",None,True); hs=b""
    while b"\r\n\r\n" not in hs: hs+=h.recv(4096)
    t2=time.perf_counter()
    w=conn(); req(w,"POST",f"/v1.50/containers/{cid}/wait?condition=removed")
    req(a,"POST",f"/v1.50/containers/{cid}/start"); resp(a)
    t3=time.perf_counter()
    resp(w)
    t4=time.perf_counter()
    for k,v in (("create",t1-t0),("attach",t2-t1),("start",t3-t2),("exit+remove",t4-t3),("total",t4-t0)):
        tot.setdefault(k,[]).append(v*1000)
    a.close(); h.close(); w.close()
import statistics
for k,v in tot.items(): print(k, "median %.1f ms"%statistics.median(v[min(5, len(v)-1):]))
