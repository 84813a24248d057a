package keel.runtime.linux.internal.syscall;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Platform;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;
import jnr.ffi.types.u_int64_t;

/**
 * {@link LinuxKernel} through jnr-ffi and glibc. System calls glibc has no (or a process-wide, or a too recent)
 * wrapper for go through syscall(2) with the architecture's numbers; strings go to C as NUL-terminated UTF-8.
 */
public final class JnrLinuxKernel implements LinuxKernel {

    /** The slice of libc we bind; signatures as in the man pages. */
    public interface LibC {
        @SaveError
        long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6);

        int gettid();

        int getpid();

        @SaveError
        int unshare(int flags);

        @SaveError
        int setns(int fd, int nstype);

        int umask(int mask);

        @SaveError
        int sethostname(@In byte[] name, @size_t long len);

        @SaveError
        int setdomainname(@In byte[] name, @size_t long len);

        @SaveError
        int chdir(@In byte[] path);

        @SaveError
        int fchdir(int fd);

        @SaveError
        int prctl(int option, long a2, long a3, long a4, long a5);

        @SaveError
        int prlimit(int pid, int resource, @In byte[] newLimit, @Out byte[] oldLimit);

        @SaveError
        int kill(int pid, int signal);

        @SaveError
        int mount(@In byte[] source, @In byte[] target, @In byte[] fstype, @u_int64_t long flags, @In byte[] data);

        @SaveError
        int umount2(@In byte[] target, int flags);

        @SaveError
        int open(@In byte[] path, int flags, int mode);

        @SaveError
        int openat(int dirfd, @In byte[] path, int flags, int mode);

        int close(int fd);

        int socket(int domain, int type, int protocol);

        @SaveError
        @ssize_t
        long read(int fd, @Out byte[] buf, @size_t long count);

        @SaveError
        @ssize_t
        long write(int fd, @In byte[] buf, @size_t long count);

        @SaveError
        int pipe2(@Out int[] fds, int flags);

        @SaveError
        int dup(int fd);

        @SaveError
        int fcntl(int fd, int cmd, int arg);

        @SaveError
        int mkdir(@In byte[] path, int mode);

        @SaveError
        int mknod(@In byte[] path, int mode, @u_int64_t long dev);

        @SaveError
        int symlink(@In byte[] target, @In byte[] linkPath);

        @SaveError
        int unlink(@In byte[] path);

        @SaveError
        int rmdir(@In byte[] path);

        @SaveError
        int chown(@In byte[] path, int uid, int gid);

        @SaveError
        int fchown(int fd, int uid, int gid);

        @SaveError
        int chmod(@In byte[] path, int mode);

        @SaveError
        int statx(int dirfd, @In byte[] path, int flags, int mask, @Out byte[] buf);

        @SaveError
        int poll(@In @Out byte[] fds, long nfds, int timeout);

        @SaveError
        int waitid(int idtype, int id, @Out byte[] siginfo, int options);

        @SaveError
        int ioctl(int fd, long request, @In @Out byte[] arg);

        @SaveError
        int epoll_create1(int flags);

        @SaveError
        int epoll_ctl(int epfd, int op, int fd, @In byte[] event);

        @SaveError
        int epoll_wait(int epfd, @Out byte[] events, int maxEvents, int timeout);

        @SaveError
        int eventfd(int initial, int flags);

        @SaveError
        int posix_openpt(int flags);

        @SaveError
        int grantpt(int fd);

        @SaveError
        int unlockpt(int fd);

        int ptsname_r(int fd, @Out byte[] buf, @size_t long len);

        int posix_spawn(@Out int[] pid, @In byte[] path, Pointer fileActions, Pointer attributes, Pointer argv,
                Pointer envp);

        int posix_spawn_file_actions_init(Pointer actions);

        int posix_spawn_file_actions_destroy(Pointer actions);

        int posix_spawn_file_actions_addopen(Pointer actions, int fd, @In byte[] path, int flags, int mode);

        int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newFd);

        int posix_spawn_file_actions_addclose(Pointer actions, int fd);

        int posix_spawn_file_actions_addchdir_np(Pointer actions, @In byte[] path);

        int posix_spawn_file_actions_addfchdir_np(Pointer actions, int fd);

        int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int lowFd);

        int posix_spawnattr_init(Pointer attributes);

        int posix_spawnattr_destroy(Pointer attributes);

        int posix_spawnattr_setflags(Pointer attributes, short flags);

        int posix_spawnattr_setsigmask(Pointer attributes, Pointer set);

        int posix_spawnattr_setsigdefault(Pointer attributes, Pointer set);

        int sigemptyset(Pointer set);

        int sigfillset(Pointer set);

        String strerror(int errnum);
    }

    /** System call numbers that differ between the architectures jffi ships for. */
    private record SyscallNumbers(int pivotRoot, int setresuid, int setresgid, int setgroups, int capget,
            int capset, int bpf) {
        static SyscallNumbers forThisMachine() {
            String arch = System.getProperty("os.arch");
            return switch (arch) {
                case "amd64", "x86_64" -> new SyscallNumbers(155, 117, 119, 116, 125, 126, 321);
                case "aarch64", "arm64" -> new SyscallNumbers(41, 147, 149, 159, 90, 91, 280);
                default -> throw new UnsupportedOperationException("no system call table for " + arch);
            };
        }
    }

    // The same on every architecture (numbers >= 424 are shared).
    private static final int SYS_PIDFD_SEND_SIGNAL = 424, SYS_OPEN_TREE = 428, SYS_MOVE_MOUNT = 429,
            SYS_FSOPEN = 430, SYS_FSCONFIG = 431, SYS_FSMOUNT = 432, SYS_PIDFD_OPEN = 434, SYS_MOUNT_SETATTR = 442;
    private static final int FSCONFIG_SET_FLAG = 0, FSCONFIG_SET_STRING = 1, FSCONFIG_SET_FD = 5,
            FSCONFIG_CMD_CREATE = 6;
    private static final int LINUX_CAPABILITY_VERSION_3 = 0x20080522;
    private static final long TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414, NS_GET_NSTYPE = 0xb703;
    /** _IOWR(0xFF, 11, struct pidfd_info) with the 72-byte struct of Linux 6.15. */
    private static final long PIDFD_GET_INFO = 0xC048FF0BL;
    private static final int PIDFD_INFO_SIZE = 72;
    private static final int F_SETFL = 4;
    private static final int STATX_BASIC_STATS = 0x7ff, STATX_SIZE = 256;
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04, POSIX_SPAWN_SETSIGMASK = 0x08,
            POSIX_SPAWN_SETSID = 0x80;
    /** glibc's posix_spawn_file_actions_t is 80 bytes and posix_spawnattr_t 336 on 64-bit; room to spare. */
    private static final int FILE_ACTIONS_SIZE = 256, SPAWNATTR_SIZE = 1024, SIGSET_SIZE = 128;

    private static volatile JnrLinuxKernel instance;

    private final LibC libc;
    private final Runtime runtime;
    private final SyscallNumbers nr;
    /** struct epoll_event is packed (12 bytes) on x86-64 only. */
    private final int epollEventSize;

    private JnrLinuxKernel() {
        this.libc = LibraryLoader.create(LibC.class).load(Platform.getNativePlatform().getStandardCLibraryName());
        this.runtime = Runtime.getRuntime(libc);
        this.nr = SyscallNumbers.forThisMachine();
        String arch = System.getProperty("os.arch");
        this.epollEventSize = arch.equals("amd64") || arch.equals("x86_64") ? 12 : 16;
    }

    /** The one binding per class loader (jffi's JNI library may be loaded once). */
    public static JnrLinuxKernel instance() {
        JnrLinuxKernel k = instance;
        if (k == null) {
            synchronized (JnrLinuxKernel.class) {
                k = instance;
                if (k == null) {
                    k = new JnrLinuxKernel();
                    instance = k;
                }
            }
        }
        return k;
    }

    // ----- threads, processes, namespaces

    @Override
    public int gettid() {
        return libc.gettid();
    }

    @Override
    public int getpid() {
        return libc.getpid();
    }

    @Override
    public void unshare(int flags) throws ErrnoException {
        check(libc.unshare(flags), "unshare(0x" + Integer.toHexString(flags) + ")");
    }

    @Override
    public void setns(int fd, int nstype) throws ErrnoException {
        check(libc.setns(fd, nstype), "setns(0x" + Integer.toHexString(nstype) + ")");
    }

    @Override
    public int umask(int mask) {
        return libc.umask(mask);
    }

    @Override
    public void sethostname(String name) throws ErrnoException {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        check(libc.sethostname(b, b.length), "sethostname");
    }

    @Override
    public void setdomainname(String name) throws ErrnoException {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        check(libc.setdomainname(b, b.length), "setdomainname");
    }

    @Override
    public void chdir(String path) throws ErrnoException {
        check(libc.chdir(c(path)), "chdir(" + path + ")");
    }

    @Override
    public void fchdir(int fd) throws ErrnoException {
        check(libc.fchdir(fd), "fchdir");
    }

    @Override
    public void pivotRoot(String newRoot, String putOld) throws ErrnoException {
        Pointer a = cstr(newRoot), b = cstr(putOld);
        check(syscall(nr.pivotRoot, a.address(), b.address(), 0, 0, 0), "pivot_root(" + newRoot + ")");
    }

    @Override
    public int prctl(int option, long arg2, long arg3, long arg4, long arg5) throws ErrnoException {
        return check(libc.prctl(option, arg2, arg3, arg4, arg5), "prctl(" + option + ")");
    }

    @Override
    public void setresuid(long ruid, long euid, long suid) throws ErrnoException {
        check(syscall(nr.setresuid, ruid, euid, suid, 0, 0), "setresuid(" + ruid + "," + euid + "," + suid + ")");
    }

    @Override
    public void setresgid(long rgid, long egid, long sgid) throws ErrnoException {
        check(syscall(nr.setresgid, rgid, egid, sgid, 0, 0), "setresgid(" + rgid + "," + egid + "," + sgid + ")");
    }

    @Override
    public void setgroups(long[] gids) throws ErrnoException {
        Pointer list = Memory.allocateDirect(runtime, Math.max(4, gids.length * 4), true);
        for (int i = 0; i < gids.length; i++) {
            list.putInt(i * 4L, (int) gids[i]);
        }
        check(syscall(nr.setgroups, gids.length, list.address(), 0, 0, 0), "setgroups");
    }

    @Override
    public void capset(long effective, long permitted, long inheritable) throws ErrnoException {
        Pointer header = Memory.allocateDirect(runtime, 8, true);
        header.putInt(0, LINUX_CAPABILITY_VERSION_3);
        header.putInt(4, 0);
        Pointer data = Memory.allocateDirect(runtime, 24, true);
        long[] sets = {effective, permitted, inheritable};
        for (int word = 0; word < 2; word++) {
            for (int set = 0; set < 3; set++) {
                data.putInt(word * 12L + set * 4L, (int) (sets[set] >>> (32 * word)));
            }
        }
        check(syscall(nr.capset, header.address(), data.address(), 0, 0, 0), "capset");
    }

    @Override
    public long[] capget(int tid) throws ErrnoException {
        Pointer header = Memory.allocateDirect(runtime, 8, true);
        header.putInt(0, LINUX_CAPABILITY_VERSION_3);
        header.putInt(4, tid);
        Pointer data = Memory.allocateDirect(runtime, 24, true);
        check(syscall(nr.capget, header.address(), data.address(), 0, 0, 0), "capget");
        long[] sets = new long[3];
        for (int set = 0; set < 3; set++) {
            long low = data.getInt(set * 4L) & 0xffffffffL;
            long high = data.getInt(12 + set * 4L) & 0xffffffffL;
            sets[set] = low | (high << 32);
        }
        return sets;
    }

    @Override
    public void prlimit(long pid, int resource, long soft, long hard) throws ErrnoException {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
        b.putLong(0, soft).putLong(8, hard);
        check(libc.prlimit((int) pid, resource, b.array(), null), "prlimit(" + pid + ", " + resource + ")");
    }

    @Override
    public long[] getPrlimit(long pid, int resource) throws ErrnoException {
        byte[] old = new byte[16];
        check(libc.prlimit((int) pid, resource, null, old), "prlimit(" + pid + ", " + resource + ")");
        ByteBuffer b = ByteBuffer.wrap(old).order(ByteOrder.nativeOrder());
        return new long[] {b.getLong(0), b.getLong(8)};
    }

    @Override
    public void kill(long pid, int signal) throws ErrnoException {
        check(libc.kill((int) pid, signal), "kill(" + pid + ", " + signal + ")");
    }

    // ----- mounts

    @Override
    public void mount(String source, String target, String fstype, long flags, String data) throws ErrnoException {
        check(libc.mount(c(source), c(target), c(fstype), flags, c(data)), "mount(" + target + ")");
    }

    @Override
    public void umount2(String target, int flags) throws ErrnoException {
        check(libc.umount2(c(target), flags), "umount2(" + target + ")");
    }

    @Override
    public int openTree(int dirfd, String path, int flags) throws ErrnoException {
        Pointer p = cstr(path);
        return (int) check(syscall(SYS_OPEN_TREE, dirfd, p.address(), flags, 0, 0), "open_tree(" + path + ")");
    }

    @Override
    public void moveMount(int fromDirfd, String fromPath, int toDirfd, String toPath, int flags)
            throws ErrnoException {
        Pointer from = cstr(fromPath), to = cstr(toPath);
        check(syscall(SYS_MOVE_MOUNT, fromDirfd, from.address(), toDirfd, to.address(), flags),
                "move_mount(" + toPath + ")");
    }

    @Override
    public void mountSetattr(int dirfd, String path, int flags, long attrSet, long attrClear, long propagation)
            throws ErrnoException {
        Pointer p = cstr(path);
        Pointer attr = Memory.allocateDirect(runtime, 32, true);
        attr.putLong(0, attrSet);
        attr.putLong(8, attrClear);
        attr.putLong(16, propagation);
        attr.putLong(24, 0);
        long rc = libc.syscall(SYS_MOUNT_SETATTR, dirfd, p.address(), flags, attr.address(), 32, 0);
        check(rc, "mount_setattr(" + path + ")");
    }

    @Override
    public int fsopen(String fsname, int flags) throws ErrnoException {
        Pointer p = cstr(fsname);
        return (int) check(syscall(SYS_FSOPEN, p.address(), flags, 0, 0, 0), "fsopen(" + fsname + ")");
    }

    @Override
    public void fsconfigString(int fd, String key, String value) throws ErrnoException {
        Pointer k = cstr(key), v = cstr(value);
        check(syscall(SYS_FSCONFIG, fd, FSCONFIG_SET_STRING, k.address(), v.address(), 0),
                "fsconfig(" + key + "=" + value + ")");
    }

    @Override
    public void fsconfigFlag(int fd, String key) throws ErrnoException {
        Pointer k = cstr(key);
        check(syscall(SYS_FSCONFIG, fd, FSCONFIG_SET_FLAG, k.address(), 0, 0), "fsconfig(" + key + ")");
    }

    @Override
    public void fsconfigFd(int fd, String key, int valueFd) throws ErrnoException {
        Pointer k = cstr(key);
        check(syscall(SYS_FSCONFIG, fd, FSCONFIG_SET_FD, k.address(), 0, valueFd), "fsconfig(" + key + "=fd)");
    }

    @Override
    public void fsconfigCreate(int fd) throws ErrnoException {
        check(syscall(SYS_FSCONFIG, fd, FSCONFIG_CMD_CREATE, 0, 0, 0), "fsconfig(create)");
    }

    @Override
    public int fsmount(int fd, int flags, long attrFlags) throws ErrnoException {
        return (int) check(syscall(SYS_FSMOUNT, fd, flags, attrFlags, 0, 0), "fsmount");
    }

    // ----- files

    @Override
    public int open(String path, int flags, int mode) throws ErrnoException {
        return check(libc.open(c(path), flags, mode), "open(" + path + ")");
    }

    @Override
    public int openat(int dirfd, String path, int flags, int mode) throws ErrnoException {
        return check(libc.openat(dirfd, c(path), flags, mode), "openat(" + path + ")");
    }

    @Override
    public void close(int fd) {
        if (fd >= 0) {
            libc.close(fd);
        }
    }

    @Override
    public int read(int fd, byte[] buf, int off, int len) throws ErrnoException {
        if (off == 0) {
            return (int) check(libc.read(fd, buf, len), "read");
        }
        byte[] tmp = new byte[len];
        int n = (int) check(libc.read(fd, tmp, len), "read");
        System.arraycopy(tmp, 0, buf, off, Math.max(n, 0));
        return n;
    }

    @Override
    public int write(int fd, byte[] buf, int off, int len) throws ErrnoException {
        byte[] data = buf;
        if (off != 0 || len != buf.length) {
            data = new byte[len];
            System.arraycopy(buf, off, data, 0, len);
        }
        return (int) check(libc.write(fd, data, len), "write");
    }

    @Override
    public int[] pipe2(int flags) throws ErrnoException {
        int[] fds = new int[2];
        check(libc.pipe2(fds, flags), "pipe2");
        return fds;
    }

    @Override
    public int dup(int fd) throws ErrnoException {
        return check(libc.dup(fd), "dup");
    }

    @Override
    public void setFileStatusFlags(int fd, int flags) throws ErrnoException {
        check(libc.fcntl(fd, F_SETFL, flags), "fcntl(F_SETFL)");
    }

    @Override
    public void mkdir(String path, int mode) throws ErrnoException {
        check(libc.mkdir(c(path), mode), "mkdir(" + path + ")");
    }

    @Override
    public void mknod(String path, int mode, int major, int minor) throws ErrnoException {
        // glibc's makedev(3) encoding.
        long dev = ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8) | ((minor & 0xffffff00L) << 12)
                | (minor & 0xffL);
        check(libc.mknod(c(path), mode, dev), "mknod(" + path + ")");
    }

    @Override
    public void symlink(String target, String linkPath) throws ErrnoException {
        check(libc.symlink(c(target), c(linkPath)), "symlink(" + linkPath + ")");
    }

    @Override
    public void unlink(String path) throws ErrnoException {
        check(libc.unlink(c(path)), "unlink(" + path + ")");
    }

    @Override
    public void rmdir(String path) throws ErrnoException {
        check(libc.rmdir(c(path)), "rmdir(" + path + ")");
    }

    @Override
    public void chown(String path, long uid, long gid) throws ErrnoException {
        check(libc.chown(c(path), (int) uid, (int) gid), "chown(" + path + ")");
    }

    @Override
    public void fchown(int fd, long uid, long gid) throws ErrnoException {
        check(libc.fchown(fd, (int) uid, (int) gid), "fchown");
    }

    @Override
    public void chmod(String path, int mode) throws ErrnoException {
        check(libc.chmod(c(path), mode), "chmod(" + path + ")");
    }

    @Override
    public boolean mkdirIfAbsent(String path, int mode) throws ErrnoException {
        return succeededUnless(libc.mkdir(c(path), mode), EEXIST, "mkdir", path);
    }

    /** A call's return code: 0 is true, a failure with errno {@code expected} false, any other failure thrown. */
    private boolean succeededUnless(int rc, int expected, String call, String path) throws ErrnoException {
        if (rc == 0) {
            return true;
        }
        int errno = LastError.getLastError(runtime);
        if (errno == expected) {
            return false;
        }
        throw new ErrnoException(call + "(" + path + ")", errno, libc.strerror(errno));
    }

    @Override
    public FileStat statIfExists(String path, boolean follow) throws ErrnoException {
        byte[] buf = new byte[STATX_SIZE];
        if (libc.statx(AT_FDCWD, c(path), follow ? 0 : AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, buf) == 0) {
            return statx(buf);
        }
        int errno = LastError.getLastError(runtime);
        if (errno == ENOENT) {
            return null;
        }
        throw new ErrnoException("stat(" + path + ")", errno, libc.strerror(errno));
    }

    @Override
    public boolean rmdirIfExists(String path) throws ErrnoException {
        return succeededUnless(libc.rmdir(c(path)), ENOENT, "rmdir", path);
    }

    @Override
    public FileStat stat(String path, boolean follow) throws ErrnoException {
        byte[] buf = new byte[STATX_SIZE];
        check(libc.statx(AT_FDCWD, c(path), follow ? 0 : AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, buf),
                "stat(" + path + ")");
        return statx(buf);
    }

    @Override
    public FileStat fstat(int fd) throws ErrnoException {
        byte[] buf = new byte[STATX_SIZE];
        check(libc.statx(fd, c(""), AT_EMPTY_PATH, STATX_BASIC_STATS, buf), "fstat");
        return statx(buf);
    }

    private static FileStat statx(byte[] buf) {
        ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.nativeOrder());
        return new FileStat(b.getShort(28) & 0xffff, b.getInt(20), b.getInt(24), b.getLong(40), b.getInt(128),
                b.getInt(132));
    }

    @Override
    public int poll(int fd, int events, int timeoutMillis) throws ErrnoException {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
        b.putInt(0, fd).putShort(4, (short) events).putShort(6, (short) 0);
        byte[] arr = b.array();
        int n = libc.poll(arr, 1, timeoutMillis);
        if (n < 0) {
            int errno = LastError.getLastError(runtime);
            if (errno == EINTR) {
                return 0;
            }
            throw new ErrnoException("poll", errno, libc.strerror(errno));
        }
        return n == 0 ? 0 : ByteBuffer.wrap(arr).order(ByteOrder.nativeOrder()).getShort(6) & 0xffff;
    }

    // ----- processes by descriptor

    @Override
    public int pidfdOpen(long pid, int flags) throws ErrnoException {
        return (int) check(syscall(SYS_PIDFD_OPEN, pid, flags, 0, 0, 0), "pidfd_open(" + pid + ")");
    }

    @Override
    public void pidfdSendSignal(int pidfd, int signal) throws ErrnoException {
        check(syscall(SYS_PIDFD_SEND_SIGNAL, pidfd, signal, 0, 0, 0), "pidfd_send_signal(" + signal + ")");
    }

    @Override
    public WaitResult waitid(int idtype, long id, int options) throws ErrnoException {
        byte[] info = new byte[128];
        while (true) {
            int rc = libc.waitid(idtype, (int) id, info, options);
            if (rc < 0) {
                int errno = LastError.getLastError(runtime);
                if (errno == EINTR) {
                    continue;
                }
                throw new ErrnoException("waitid", errno, libc.strerror(errno));
            }
            break;
        }
        ByteBuffer b = ByteBuffer.wrap(info).order(ByteOrder.nativeOrder());
        int pid = b.getInt(16);
        if (pid == 0) {
            return null; // WNOHANG and nothing to report
        }
        return new WaitResult(pid, b.getInt(8), b.getInt(24));
    }

    @Override
    public PidfdInfo pidfdGetInfo(int pidfd, long mask) throws ErrnoException {
        ByteBuffer b = ByteBuffer.allocate(PIDFD_INFO_SIZE).order(ByteOrder.nativeOrder());
        b.putLong(0, mask);
        byte[] arr = b.array();
        check(libc.ioctl(pidfd, PIDFD_GET_INFO, arr), "ioctl(PIDFD_GET_INFO)");
        ByteBuffer r = ByteBuffer.wrap(arr).order(ByteOrder.nativeOrder());
        return new PidfdInfo(r.getLong(0), r.getInt(16) & 0xffffffffL, r.getInt(60));
    }

    @Override
    public int nsType(int nsfd) throws ErrnoException {
        return check(libc.ioctl(nsfd, NS_GET_NSTYPE, null), "ioctl(NS_GET_NSTYPE)");
    }

    private static final long SIOCGIFFLAGS = 0x8913, SIOCSIFFLAGS = 0x8914;
    private static final int AF_INET = 2, SOCK_DGRAM = 2, IFF_UP = 0x1, IFNAMSIZ = 16, IFREQ_SIZE = 40;

    @Override
    public void interfaceUp(String name) throws ErrnoException {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        if (n.length >= IFNAMSIZ) {
            throw new ErrnoException("interface name " + name, EINVAL, "Invalid argument");
        }
        int fd = check(libc.socket(AF_INET, SOCK_DGRAM | O_CLOEXEC, 0), "socket");
        try {
            // struct ifreq: the name, then a union whose first member here is short ifr_flags
            byte[] ifreq = new byte[IFREQ_SIZE];
            System.arraycopy(n, 0, ifreq, 0, n.length);
            check(libc.ioctl(fd, SIOCGIFFLAGS, ifreq), "ioctl(SIOCGIFFLAGS) " + name);
            int flags = (ifreq[IFNAMSIZ] & 0xff) | (ifreq[IFNAMSIZ + 1] & 0xff) << 8;
            if ((flags & IFF_UP) == 0) {
                flags |= IFF_UP;
                ifreq[IFNAMSIZ] = (byte) flags;
                ifreq[IFNAMSIZ + 1] = (byte) (flags >> 8);
                check(libc.ioctl(fd, SIOCSIFFLAGS, ifreq), "ioctl(SIOCSIFFLAGS) " + name);
            }
        } finally {
            libc.close(fd);
        }
    }

    // ----- eBPF

    private static final int BPF_PROG_LOAD = 5, BPF_PROG_ATTACH = 8, BPF_ATTR_SIZE = 128;

    @Override
    public int bpfProgLoad(int type, byte[] insns, String license, int expectedAttachType) throws ErrnoException {
        Pointer code = Memory.allocateDirect(runtime, insns.length, true);
        code.put(0, insns, 0, insns.length);
        Pointer lic = cstr(license);
        int logSize = 64 * 1024;
        Pointer log = Memory.allocateDirect(runtime, logSize, true);
        Pointer attr = Memory.allocateDirect(runtime, BPF_ATTR_SIZE, true);
        attr.putInt(0, type);
        attr.putInt(4, insns.length / 8);
        attr.putLong(8, code.address());
        attr.putLong(16, lic.address());
        attr.putInt(24, 1); // log_level: only filled when the verifier refuses
        attr.putInt(28, logSize);
        attr.putLong(32, log.address());
        attr.putInt(68, expectedAttachType);
        long fd = syscall(nr.bpf, BPF_PROG_LOAD, attr.address(), BPF_ATTR_SIZE, 0, 0);
        if (fd < 0) {
            int errno = LastError.getLastError(runtime);
            String verifier = log.getString(0, logSize, StandardCharsets.UTF_8).trim();
            throw new ErrnoException("bpf(BPF_PROG_LOAD)" + (verifier.isEmpty() ? "" : " [" + verifier + "]"),
                    errno, libc.strerror(errno));
        }
        return (int) fd;
    }

    @Override
    public void bpfProgAttach(int targetFd, int progFd, int attachType, int flags) throws ErrnoException {
        Pointer attr = Memory.allocateDirect(runtime, BPF_ATTR_SIZE, true);
        attr.putInt(0, targetFd);
        attr.putInt(4, progFd);
        attr.putInt(8, attachType);
        attr.putInt(12, flags);
        check(syscall(nr.bpf, BPF_PROG_ATTACH, attr.address(), BPF_ATTR_SIZE, 0, 0), "bpf(BPF_PROG_ATTACH)");
    }

    // ----- epoll

    @Override
    public int epollCreate() throws ErrnoException {
        return check(libc.epoll_create1(O_CLOEXEC), "epoll_create1");
    }

    @Override
    public void epollAdd(int epfd, int fd, int events, long data) throws ErrnoException {
        ByteBuffer b = ByteBuffer.allocate(epollEventSize).order(ByteOrder.nativeOrder());
        b.putInt(0, events);
        b.putLong(epollEventSize == 12 ? 4 : 8, data);
        check(libc.epoll_ctl(epfd, EPOLL_CTL_ADD, fd, b.array()), "epoll_ctl(ADD)");
    }

    @Override
    public void epollDelete(int epfd, int fd) throws ErrnoException {
        byte[] ignored = new byte[epollEventSize];
        check(libc.epoll_ctl(epfd, EPOLL_CTL_DEL, fd, ignored), "epoll_ctl(DEL)");
    }

    @Override
    public int epollWait(int epfd, int[] events, long[] data, int timeoutMillis) throws ErrnoException {
        int max = Math.min(events.length, data.length);
        byte[] buf = new byte[max * epollEventSize];
        int n = libc.epoll_wait(epfd, buf, max, timeoutMillis);
        if (n < 0) {
            int errno = LastError.getLastError(runtime);
            if (errno == EINTR) {
                return 0;
            }
            throw new ErrnoException("epoll_wait", errno, libc.strerror(errno));
        }
        ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.nativeOrder());
        for (int i = 0; i < n; i++) {
            int base = i * epollEventSize;
            events[i] = b.getInt(base);
            data[i] = b.getLong(base + (epollEventSize == 12 ? 4 : 8));
        }
        return n;
    }

    @Override
    public int eventfd(int initial, int flags) throws ErrnoException {
        return check(libc.eventfd(initial, flags), "eventfd");
    }

    // ----- terminals

    @Override
    public int posixOpenpt(int flags) throws ErrnoException {
        return check(libc.posix_openpt(flags), "posix_openpt");
    }

    @Override
    public void grantpt(int fd) throws ErrnoException {
        check(libc.grantpt(fd), "grantpt");
    }

    @Override
    public void unlockpt(int fd) throws ErrnoException {
        check(libc.unlockpt(fd), "unlockpt");
    }

    @Override
    public String ptsname(int fd) throws ErrnoException {
        byte[] buf = new byte[128];
        int rc = libc.ptsname_r(fd, buf, buf.length);
        if (rc != 0) {
            throw new ErrnoException("ptsname_r", rc, libc.strerror(rc));
        }
        int len = 0;
        while (len < buf.length && buf[len] != 0) {
            len++;
        }
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }

    @Override
    public void setWindowSize(int fd, int rows, int columns) throws ErrnoException {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
        b.putShort(0, (short) rows).putShort(2, (short) columns);
        check(libc.ioctl(fd, TIOCSWINSZ, b.array()), "ioctl(TIOCSWINSZ)");
    }

    @Override
    public int[] getWindowSize(int fd) throws ErrnoException {
        byte[] arr = new byte[8];
        check(libc.ioctl(fd, TIOCGWINSZ, arr), "ioctl(TIOCGWINSZ)");
        ByteBuffer b = ByteBuffer.wrap(arr).order(ByteOrder.nativeOrder());
        return new int[] {b.getShort(0) & 0xffff, b.getShort(2) & 0xffff};
    }

    // ----- spawning

    @Override
    public long posixSpawn(SpawnRequest request) throws ErrnoException {
        Pointer actions = Memory.allocateDirect(runtime, FILE_ACTIONS_SIZE, true);
        Pointer attributes = Memory.allocateDirect(runtime, SPAWNATTR_SIZE, true);
        Pointer mask = Memory.allocateDirect(runtime, SIGSET_SIZE, true);
        Pointer defaults = Memory.allocateDirect(runtime, SIGSET_SIZE, true);
        Pointer argv = stringArray(request.argv());
        Pointer envp = stringArray(request.envp());
        spawnCheck(libc.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
        try {
            spawnCheck(libc.posix_spawnattr_init(attributes), "posix_spawnattr_init");
            try {
                for (SpawnRequest.FileAction a : request.actions()) {
                    addAction(actions, a);
                }
                libc.sigemptyset(mask);
                libc.sigfillset(defaults);
                spawnCheck(libc.posix_spawnattr_setsigmask(attributes, mask), "posix_spawnattr_setsigmask");
                spawnCheck(libc.posix_spawnattr_setsigdefault(attributes, defaults), "posix_spawnattr_setsigdefault");
                short flags = (short) (POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
                        | (request.setsid() ? POSIX_SPAWN_SETSID : 0));
                spawnCheck(libc.posix_spawnattr_setflags(attributes, flags), "posix_spawnattr_setflags");
                int[] pid = new int[1];
                int rc = libc.posix_spawn(pid, c(request.path()), actions, attributes, argv, envp);
                if (rc != 0) {
                    throw new ErrnoException("posix_spawn(" + request.path() + ")", rc, libc.strerror(rc));
                }
                return pid[0];
            } finally {
                libc.posix_spawnattr_destroy(attributes);
            }
        } finally {
            libc.posix_spawn_file_actions_destroy(actions);
        }
    }

    private void addAction(Pointer actions, SpawnRequest.FileAction a) throws ErrnoException {
        if (a instanceof SpawnRequest.Open o) {
            spawnCheck(libc.posix_spawn_file_actions_addopen(actions, o.fd(), c(o.path()), o.flags(), o.mode()),
                    "addopen(" + o.path() + ")");
        } else if (a instanceof SpawnRequest.Dup2 d) {
            spawnCheck(libc.posix_spawn_file_actions_adddup2(actions, d.fd(), d.newFd()), "adddup2");
        } else if (a instanceof SpawnRequest.Close cl) {
            spawnCheck(libc.posix_spawn_file_actions_addclose(actions, cl.fd()), "addclose");
        } else if (a instanceof SpawnRequest.Chdir cd) {
            spawnCheck(libc.posix_spawn_file_actions_addchdir_np(actions, c(cd.path())), "addchdir_np");
        } else if (a instanceof SpawnRequest.Fchdir f) {
            spawnCheck(libc.posix_spawn_file_actions_addfchdir_np(actions, f.fd()), "addfchdir_np");
        } else if (a instanceof SpawnRequest.CloseFrom cf) {
            spawnCheck(libc.posix_spawn_file_actions_addclosefrom_np(actions, cf.lowFd()), "addclosefrom_np");
        }
    }

    /** A NULL-terminated char*[] and its strings in one block of native memory. */
    private Pointer stringArray(List<String> strings) {
        byte[][] encoded = new byte[strings.size()][];
        long total = (strings.size() + 1) * 8L;
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = strings.get(i).getBytes(StandardCharsets.UTF_8);
            total += encoded[i].length + 1;
        }
        Pointer block = Memory.allocateDirect(runtime, (int) total, true);
        long table = 0, text = (strings.size() + 1) * 8L;
        for (byte[] s : encoded) {
            block.putLong(table, block.address() + text);
            block.put(text, s, 0, s.length);
            block.putByte(text + s.length, (byte) 0);
            table += 8;
            text += s.length + 1;
        }
        block.putLong(table, 0);
        return block;
    }

    // ----- warm-up

    @Override
    public void warmUp() {
        // Every native stub and every class the launch thread uses after unshare(CLONE_NEWPID) (when it may no
        // longer start threads, and any lazily started helper thread would fail) is touched here once.
        libc.gettid();
        libc.getpid();
        int old = libc.umask(022);
        libc.umask(old);
        ignore(() -> unshare(0));
        ignore(() -> setns(-1, 0));
        // A path that cannot exist: the stub is bound, the process's working directory stays where it is.
        ignore(() -> chdir("/nonexistent-keel-warmup"));
        ignore(() -> fchdir(-1));
        ignore(() -> pivotRoot("/nonexistent-keel-warmup", "/nonexistent-keel-warmup"));
        ignore(() -> prctl(PR_CAPBSET_READ, 0, 0, 0, 0));
        ignore(() -> setresuid(-1, -1, -1));
        ignore(() -> setresgid(-1, -1, -1));
        ignore(() -> capget(0));
        ignore(() -> getPrlimit(0, 7));
        ignore(() -> kill(0, 0));
        ignore(() -> mount(null, "/nonexistent-keel-warmup", null, MS_REMOUNT, null));
        ignore(() -> umount2("/nonexistent-keel-warmup", MNT_DETACH));
        ignore(() -> close(openTree(AT_FDCWD, "/nonexistent-keel-warmup", OPEN_TREE_CLOEXEC)));
        ignore(() -> moveMount(-1, "", AT_FDCWD, "/nonexistent-keel-warmup", MOVE_MOUNT_F_EMPTY_PATH));
        ignore(() -> mountSetattr(AT_FDCWD, "/nonexistent-keel-warmup", 0, 0, 0, 0));
        ignore(() -> {
            int fs = fsopen("tmpfs", FSOPEN_CLOEXEC);
            try {
                fsconfigString(fs, "mode", "0755");
                ignore(() -> fsconfigFlag(fs, "keel-warmup"));
                ignore(() -> fsconfigFd(fs, "keel-warmup", -1));
                ignore(() -> fsconfigCreate(-1));
                ignore(() -> close(fsmount(-1, FSMOUNT_CLOEXEC, 0)));
            } finally {
                close(fs);
            }
        });
        ignore(() -> stat("/", true));
        ignore(() -> stat("/nonexistent-keel-warmup", false));
        ignore(() -> {
            int fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
            try {
                fstat(fd);
                ignore(() -> close(openat(fd, "nonexistent-keel-warmup", O_RDONLY | O_CLOEXEC, 0)));
                ignore(() -> fchown(-1, -1, -1));
            } finally {
                close(fd);
            }
        });
        ignore(() -> {
            int[] p = pipe2(O_CLOEXEC);
            try {
                write(p[1], new byte[] {1, 2}, 1, 1);
                poll(p[0], POLLIN, 0);
                read(p[0], new byte[2], 1, 1);
                setFileStatusFlags(p[0], O_NONBLOCK);
                close(dup(p[0]));
            } finally {
                close(p[0]);
                close(p[1]);
            }
        });
        ignore(() -> mkdir("/nonexistent-keel-warmup/x", 0));
        ignore(() -> mknod("/nonexistent-keel-warmup/x", 0, 1, 3));
        ignore(() -> symlink("x", "/nonexistent-keel-warmup/x"));
        ignore(() -> unlink("/nonexistent-keel-warmup/x"));
        ignore(() -> rmdir("/nonexistent-keel-warmup/x"));
        ignore(() -> chown("/nonexistent-keel-warmup/x", -1, -1));
        ignore(() -> chmod("/nonexistent-keel-warmup/x", 0));
        ignore(() -> pidfdSendSignal(-1, 0));
        ignore(() -> {
            int self = pidfdOpen(getpid(), 0);
            try {
                pidfdGetInfo(self, PIDFD_INFO_PID | PIDFD_INFO_EXIT);
            } finally {
                close(self);
            }
        });
        ignore(() -> waitid(P_PID, 0x7ffffffe, WEXITED | WNOHANG));
        ignore(() -> {
            int fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC, 0);
            try {
                nsType(fd);
            } finally {
                close(fd);
            }
        });
        ignore(() -> {
            int ep = epollCreate();
            int ev = eventfd(0, O_CLOEXEC | O_NONBLOCK);
            try {
                epollAdd(ep, ev, EPOLLIN, 1);
                epollWait(ep, new int[1], new long[1], 0);
                epollDelete(ep, ev);
            } finally {
                close(ev);
                close(ep);
            }
        });
        ignore(() -> posixOpenpt(-1));
        ignore(() -> grantpt(-1));
        ignore(() -> unlockpt(-1));
        ignore(() -> ptsname(-1));
        ignore(() -> setWindowSize(-1, 24, 80));
        ignore(() -> getWindowSize(-1));
        // capset with the thread's own sets changes nothing but runs the same code as a real drop.
        ignore(() -> {
            long[] caps = capget(0);
            capset(caps[0], caps[1], caps[2]);
        });
        ignore(() -> posixSpawn(new SpawnRequest("/nonexistent-keel-warmup", List.of("x"), List.of("A=B"),
                List.of(new SpawnRequest.Open(3, "/nonexistent-keel-warmup", O_RDONLY, 0),
                        new SpawnRequest.Dup2(3, 4), new SpawnRequest.Close(4), new SpawnRequest.Chdir("/"),
                        new SpawnRequest.Fchdir(3), new SpawnRequest.CloseFrom(3)),
                true)));
    }

    private interface Call {
        void run() throws Exception;
    }

    private static void ignore(Call c) {
        try {
            c.run();
        } catch (Exception | UnsatisfiedLinkError e) {
            // expected: the warm-up calls fail on purpose
        }
    }

    // ----- helpers

    private long syscall(long number, long a1, long a2, long a3, long a4, long a5) {
        return libc.syscall(number, a1, a2, a3, a4, a5, 0);
    }

    private int check(int rc, String call) throws ErrnoException {
        if (rc < 0) {
            throw failure(call);
        }
        return rc;
    }

    private long check(long rc, String call) throws ErrnoException {
        if (rc < 0) {
            throw failure(call);
        }
        return rc;
    }

    private void spawnCheck(int rc, String call) throws ErrnoException {
        if (rc != 0) {
            throw new ErrnoException(call, rc, libc.strerror(rc));
        }
    }

    private ErrnoException failure(String call) {
        int errno = LastError.getLastError(runtime);
        return new ErrnoException(call, errno, libc.strerror(errno));
    }

    private Pointer cstr(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        Pointer p = Memory.allocateDirect(runtime, b.length + 1, true);
        p.put(0, b, 0, b.length);
        p.putByte(b.length, (byte) 0);
        return p;
    }

    /** A NUL-terminated UTF-8 copy of {@code s}, or null for a NULL pointer. */
    private static byte[] c(String s) {
        if (s == null) {
            return null;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, b.length);
        return out;
    }
}
