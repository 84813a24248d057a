# Runs a command under a fresh pseudo-terminal and reports (as JSON on stdout) what a user at that terminal would
# see: whether the terminal was in raw mode while the command ran, and in which state it was left afterwards.
# The command runs in `sh -c`, which prints `stty -a` and the command's exit status once it ends.
# Steps: size 30x100 -> wait for READY -> read termios -> type "x" (no newline) -> resize to 50x132 (the kernel
# sends SIGWINCH) -> then, by mode, type ctrl-p ctrl-q ("detach") or send SIGTERM to the terminal's processes
# ("term"; the shell traps it so it survives to report) -> wait for the shell's report.
import fcntl, json, os, pty, re, select, signal, struct, sys, termios, time

def set_size(fd, rows, cols):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))

mode = sys.argv[1]
cmd = sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp('sh', ['sh', '-c', 'trap : TERM; "$@"; status=$?; stty -a; echo "KEEL_EXIT=$status"', 'sh'] + cmd)

set_size(fd, 30, 100)
buf = b''

def read_until(token, timeout):
    global buf
    end = time.time() + timeout
    while token not in buf and time.time() < end:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                data = os.read(fd, 4096)
            except OSError:
                break
            if not data:
                break
            buf += data
    return token in buf

report = {'ready': read_until(b'READY', 60)}
lflag = termios.tcgetattr(fd)[3]
report['echo_off'] = not (lflag & termios.ECHO)
report['icanon_off'] = not (lflag & termios.ICANON)
report['isig_off'] = not (lflag & termios.ISIG)
os.write(fd, b'x')
time.sleep(0.7)
set_size(fd, 50, 132)
time.sleep(1.0)
if mode == 'detach':
    os.write(fd, b'\x10\x11')
else:
    os.killpg(pid, signal.SIGTERM)
report['ended'] = read_until(b'KEEL_EXIT=', 30)
read_until(b'\n', 2) if b'KEEL_EXIT=' in buf and not re.search(rb'KEEL_EXIT=\d+\s', buf) else None
os.waitpid(pid, 0)
out = buf.decode('utf-8', 'replace')
m = re.search(r'KEEL_EXIT=(\d+)', out)
report['keel_exit'] = int(m.group(1)) if m else None
tokens = re.split(r'[\s;]+', out.split('READY', 1)[-1])
report['restored_echo'] = 'echo' in tokens and '-echo' not in tokens
report['restored_icanon'] = 'icanon' in tokens and '-icanon' not in tokens
report['output'] = out
print(json.dumps(report))
