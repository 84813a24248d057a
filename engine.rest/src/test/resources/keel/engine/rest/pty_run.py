#!/usr/bin/env python3
"""Runs a command on a pseudo-terminal, as a user at a terminal would.

Usage: pty_run.py ROWS COLS TIMEOUT [EXPECT SEND]... -- COMMAND...

The terminal gets ROWS x COLS. For each pair, waits until EXPECT has appeared in the output (after the previous
one) and then types SEND (both take Python escapes: \\r, \\x04). Then reads until the command closes the terminal,
writes everything the command printed to stdout and exits with the command's exit code (124 on timeout, 125 when
an expected text never came).
"""
import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time


def unescape(s):
    return s.encode('latin-1').decode('unicode_escape').encode('latin-1')


def main():
    args = sys.argv[1:]
    sep = args.index('--')
    rows, cols, timeout = int(args[0]), int(args[1]), float(args[2])
    steps = args[3:sep]
    cmd = args[sep + 1:]
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
    proc = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave, start_new_session=True, close_fds=True)
    os.close(slave)
    deadline = time.time() + timeout
    out = bytearray()
    open_ = True

    def read_some():
        nonlocal open_
        ready, _, _ = select.select([master], [], [], 0.05)
        if master in ready:
            try:
                data = os.read(master, 65536)
            except OSError:
                data = b''
            if not data:
                open_ = False
            out.extend(data)

    def finish(code):
        sys.stdout.buffer.write(bytes(out))
        sys.stdout.buffer.flush()
        sys.exit(code)

    pos = 0
    for i in range(0, len(steps) - 1, 2):
        expect, send = unescape(steps[i]), unescape(steps[i + 1])
        while out.find(expect, pos) < 0:
            if not open_:
                proc.wait()
                finish(125)
            if time.time() > deadline:
                proc.kill()
                finish(124)
            read_some()
        pos = out.find(expect, pos) + len(expect)
        os.write(master, send)
    while open_ and time.time() < deadline:
        read_some()
    try:
        code = proc.wait(timeout=max(1.0, deadline - time.time()))
    except subprocess.TimeoutExpired:
        proc.kill()
        finish(124)
    finish(code)


if __name__ == '__main__':
    main()
