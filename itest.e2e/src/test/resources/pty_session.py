#!/usr/bin/env python3
"""Runs a command under a real pseudo-terminal, as a user at a terminal would, and plays a script against it.

Usage: pty_session.py ROWS COLS SCRIPT -- COMMAND...
SCRIPT is a JSON list of steps: {"expect": "text"} waits (bounded) until the output so far contains text,
{"send": "text"} types text (escapes like \\r, \\x10 are JSON escapes), {"resize": [rows, cols]} changes the
terminal size (the client sees SIGWINCH). Prints everything the command wrote, then "EXIT <status>".
"""
import fcntl
import json
import os
import pty
import select
import signal
import struct
import sys
import termios
import time

rows, cols, script = int(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3])
cmd = sys.argv[sys.argv.index("--") + 1:]

pid, fd = pty.fork()
if pid == 0:
    os.execvp(cmd[0], cmd)

fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
out = b""


def pump(timeout):
    global out
    end = time.time() + timeout
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], max(0, end - time.time()))
        if not r:
            return True
        try:
            data = os.read(fd, 65536)
        except OSError:
            return False
        if not data:
            return False
        out += data
    return True


alive = True
for step in script:
    if "expect" in step:
        deadline = time.time() + 20
        while step["expect"].encode() not in out and time.time() < deadline and alive:
            alive = pump(0.1)
        if step["expect"].encode() not in out:
            sys.stdout.write(out.decode(errors="replace") + "\nTIMEOUT waiting for %r\n" % step["expect"])
            os.kill(pid, signal.SIGKILL)
            sys.exit(2)
    elif "send" in step:
        os.write(fd, step["send"].encode())
    elif "resize" in step:
        r, c = step["resize"]
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", r, c, 0, 0))
        os.kill(pid, signal.SIGWINCH)

deadline = time.time() + 20
while alive and time.time() < deadline:
    alive = pump(0.2)
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        pump(0.2)
        break
else:
    os.kill(pid, signal.SIGKILL)
    done, status = os.waitpid(pid, 0)
if not done:
    done, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace"))
sys.stdout.write("\nEXIT %d\n" % (os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)))
