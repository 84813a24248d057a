package keel.runtime.linux.internal.syscall;

/**
 * The slice of Linux the native runtime needs: one method per system call (or C library function), named after it,
 * so that the code above reads like the man pages it follows and can be run against a fake. Failures throw
 * {@link ErrnoException} with the call's errno.
 *
 * <p>Credential calls ({@link #setresuid}, {@link #setresgid}, {@link #setgroups}, {@link #capset}) are the raw
 * system calls and change the <em>calling thread</em> only: glibc's wrappers broadcast the change to every thread of
 * the process (POSIX semantics), which in a JVM would demote the whole daemon.
 */
public interface LinuxKernel {

    // clone(2) / unshare(2) / setns(2) namespace flags
    int CLONE_FS = 0x200;
    int CLONE_NEWTIME = 0x80;
    int CLONE_NEWNS = 0x20000;
    int CLONE_NEWCGROUP = 0x02000000;
    int CLONE_NEWUTS = 0x04000000;
    int CLONE_NEWIPC = 0x08000000;
    int CLONE_NEWUSER = 0x10000000;
    int CLONE_NEWPID = 0x20000000;
    int CLONE_NEWNET = 0x40000000;

    // mount(2)
    long MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_SYNCHRONOUS = 16, MS_REMOUNT = 32,
            MS_MANDLOCK = 64, MS_DIRSYNC = 128, MS_NOSYMFOLLOW = 256, MS_NOATIME = 1024, MS_NODIRATIME = 2048,
            MS_BIND = 4096, MS_MOVE = 8192, MS_REC = 16384, MS_SILENT = 32768, MS_UNBINDABLE = 1 << 17,
            MS_PRIVATE = 1 << 18, MS_SLAVE = 1 << 19, MS_SHARED = 1 << 20, MS_RELATIME = 1 << 21,
            MS_I_VERSION = 1 << 23, MS_STRICTATIME = 1 << 24, MS_LAZYTIME = 1 << 25;
    int MNT_DETACH = 2;

    // new mount API
    int OPEN_TREE_CLONE = 1, OPEN_TREE_CLOEXEC = 02000000, AT_RECURSIVE = 0x8000, AT_EMPTY_PATH = 0x1000,
            AT_SYMLINK_NOFOLLOW = 0x100;
    int MOVE_MOUNT_F_EMPTY_PATH = 4;
    int FSOPEN_CLOEXEC = 1, FSMOUNT_CLOEXEC = 1;
    long MOUNT_ATTR_RDONLY = 1, MOUNT_ATTR_NOSUID = 2, MOUNT_ATTR_NODEV = 4, MOUNT_ATTR_NOEXEC = 8,
            MOUNT_ATTR_NOATIME = 0x10, MOUNT_ATTR_STRICTATIME = 0x20, MOUNT_ATTR_NODIRATIME = 0x80,
            MOUNT_ATTR_NOSYMFOLLOW = 0x200000;
    int AT_FDCWD = -100;

    // open(2)
    int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0100, O_EXCL = 0200, O_NOCTTY = 0400, O_TRUNC = 01000,
            O_APPEND = 02000, O_NONBLOCK = 04000, O_DIRECTORY = 0200000, O_NOFOLLOW = 0400000,
            O_CLOEXEC = 02000000, O_PATH = 010000000;

    // file types (st_mode)
    int S_IFMT = 0170000, S_IFDIR = 0040000, S_IFCHR = 0020000, S_IFBLK = 0060000, S_IFREG = 0100000,
            S_IFIFO = 0010000, S_IFLNK = 0120000;

    // waitid(2)
    int P_PID = 1, P_PIDFD = 3;
    int WEXITED = 4, WNOHANG = 1, WNOWAIT = 0x01000000;
    int CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3;

    // epoll(7)
    int EPOLLIN = 1, EPOLLOUT = 4, EPOLLERR = 8, EPOLLHUP = 0x10, EPOLLRDHUP = 0x2000;
    int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2;
    int POLLIN = 1, POLLOUT = 4, POLLHUP = 0x10;

    // prctl(2)
    int PR_SET_PDEATHSIG = 1, PR_SET_KEEPCAPS = 8, PR_CAPBSET_READ = 23, PR_CAPBSET_DROP = 24,
            PR_SET_CHILD_SUBREAPER = 36, PR_SET_NO_NEW_PRIVS = 38, PR_CAP_AMBIENT = 47;
    int PR_CAP_AMBIENT_RAISE = 2, PR_CAP_AMBIENT_CLEAR_ALL = 4;

    // pidfd_info (PIDFD_GET_INFO, Linux 6.13; PIDFD_INFO_EXIT, Linux 6.15)
    long PIDFD_INFO_PID = 1, PIDFD_INFO_CREDS = 2, PIDFD_INFO_CGROUPID = 4, PIDFD_INFO_EXIT = 8;

    // errno values the runtime reacts to
    int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6, ENOEXEC = 8, EBADF = 9, ECHILD = 10,
            EAGAIN = 11, EACCES = 13, EBUSY = 16, EEXIST = 17, ENOTDIR = 20, EISDIR = 21, EINVAL = 22,
            ENOTTY = 25, ENOSYS = 38, ENOTEMPTY = 39, ELOOP = 40, EOPNOTSUPP = 95, ECANCELED = 125;

    // signals
    int SIGHUP = 1, SIGINT = 2, SIGKILL = 9, SIGTERM = 15, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19;

    /** What statx(2) says about a file (the fields the runtime uses). */
    record FileStat(int mode, int uid, int gid, long size, int rdevMajor, int rdevMinor) {
        public int type() {
            return mode & S_IFMT;
        }

        public boolean isDirectory() {
            return type() == S_IFDIR;
        }

        public boolean isRegularFile() {
            return type() == S_IFREG;
        }
    }

    /** waitid(2)'s siginfo: {@code code} is CLD_EXITED (status = exit code) or CLD_KILLED/CLD_DUMPED (signal). */
    record WaitResult(long pid, int code, int status) {}

    /** ioctl(PIDFD_GET_INFO): which fields the kernel filled ({@code mask}) and the wait(2)-style exit status. */
    record PidfdInfo(long mask, long pid, int exitStatus) {
        public boolean hasExit() {
            return (mask & PIDFD_INFO_EXIT) != 0;
        }
    }

    // ----- threads, processes, namespaces

    int gettid();

    int getpid();

    void unshare(int flags) throws ErrnoException;

    void setns(int fd, int nstype) throws ErrnoException;

    /** umask(2): per thread here, because the umask lives in the fs_struct a thread unshares with CLONE_FS. */
    int umask(int mask);

    void sethostname(String name) throws ErrnoException;

    void setdomainname(String name) throws ErrnoException;

    void chdir(String path) throws ErrnoException;

    void fchdir(int fd) throws ErrnoException;

    void pivotRoot(String newRoot, String putOld) throws ErrnoException;

    int prctl(int option, long arg2, long arg3, long arg4, long arg5) throws ErrnoException;

    /** setresuid(2) as the raw system call: this thread only. -1 leaves an id unchanged. */
    void setresuid(long ruid, long euid, long suid) throws ErrnoException;

    void setresgid(long rgid, long egid, long sgid) throws ErrnoException;

    void setgroups(long[] gids) throws ErrnoException;

    /** capset(2) for this thread, 64-bit sets. */
    void capset(long effective, long permitted, long inheritable) throws ErrnoException;

    /** capget(2) for a thread (0 = the caller): {effective, permitted, inheritable}. */
    long[] capget(int tid) throws ErrnoException;

    /** prlimit(2) on another process (or 0 for the caller's, which is the whole JVM's). */
    void prlimit(long pid, int resource, long soft, long hard) throws ErrnoException;

    /** {soft, hard} of a resource limit of a process. */
    long[] getPrlimit(long pid, int resource) throws ErrnoException;

    void kill(long pid, int signal) throws ErrnoException;

    // ----- mounts

    void mount(String source, String target, String fstype, long flags, String data) throws ErrnoException;

    void umount2(String target, int flags) throws ErrnoException;

    int openTree(int dirfd, String path, int flags) throws ErrnoException;

    void moveMount(int fromDirfd, String fromPath, int toDirfd, String toPath, int flags) throws ErrnoException;

    /** mount_setattr(2) with a struct mount_attr (no idmapping). */
    void mountSetattr(int dirfd, String path, int flags, long attrSet, long attrClear, long propagation)
            throws ErrnoException;

    int fsopen(String fsname, int flags) throws ErrnoException;

    void fsconfigString(int fd, String key, String value) throws ErrnoException;

    void fsconfigFlag(int fd, String key) throws ErrnoException;

    void fsconfigFd(int fd, String key, int valueFd) throws ErrnoException;

    void fsconfigCreate(int fd) throws ErrnoException;

    int fsmount(int fd, int flags, long attrFlags) throws ErrnoException;

    // ----- files

    int open(String path, int flags, int mode) throws ErrnoException;

    int openat(int dirfd, String path, int flags, int mode) throws ErrnoException;

    void close(int fd);

    int read(int fd, byte[] buf, int off, int len) throws ErrnoException;

    int write(int fd, byte[] buf, int off, int len) throws ErrnoException;

    /** pipe2(2): {read end, write end}. */
    int[] pipe2(int flags) throws ErrnoException;

    int dup(int fd) throws ErrnoException;

    /** fcntl(F_SETFL) */
    void setFileStatusFlags(int fd, int flags) throws ErrnoException;

    void mkdir(String path, int mode) throws ErrnoException;

    void mknod(String path, int mode, int major, int minor) throws ErrnoException;

    void symlink(String target, String linkPath) throws ErrnoException;

    void unlink(String path) throws ErrnoException;

    void rmdir(String path) throws ErrnoException;

    void chown(String path, long uid, long gid) throws ErrnoException;

    void fchown(int fd, long uid, long gid) throws ErrnoException;

    void chmod(String path, int mode) throws ErrnoException;

    /** statx(2); {@code follow} false stats a symbolic link itself. */
    FileStat stat(String path, boolean follow) throws ErrnoException;

    FileStat fstat(int fd) throws ErrnoException;

    /** poll(2) on one descriptor; the returned events, 0 on timeout. */
    int poll(int fd, int events, int timeoutMillis) throws ErrnoException;

    // ----- processes by descriptor

    int pidfdOpen(long pid, int flags) throws ErrnoException;

    void pidfdSendSignal(int pidfd, int signal) throws ErrnoException;

    /** waitid(2); null when WNOHANG was given and nothing has exited yet. */
    WaitResult waitid(int idtype, long id, int options) throws ErrnoException;

    PidfdInfo pidfdGetInfo(int pidfd, long mask) throws ErrnoException;

    // ----- the same calls for paths that may well be absent or present: an expected outcome is a return value,
    // not an exception (a container's start probes dozens of such paths, and each exception costs a stack walk)

    /** mkdir(2); false when the path exists already (EEXIST), any other failure thrown. */
    boolean mkdirIfAbsent(String path, int mode) throws ErrnoException;

    /** stat(2); null when the path does not exist (ENOENT), any other failure thrown. */
    FileStat statIfExists(String path, boolean follow) throws ErrnoException;

    /** rmdir(2); false when the directory does not exist (ENOENT), any other failure thrown. */
    boolean rmdirIfExists(String path) throws ErrnoException;

    /** ioctl(NS_GET_NSTYPE) on a namespace file: its CLONE_NEW* type. */
    int nsType(int nsfd) throws ErrnoException;

    /**
     * Sets IFF_UP on an interface of the calling thread's network namespace (netdevice(7): SIOCGIFFLAGS, then
     * SIOCSIFFLAGS, on a datagram socket).
     */
    void interfaceUp(String name) throws ErrnoException;

    // ----- eBPF

    int BPF_PROG_TYPE_CGROUP_DEVICE = 15, BPF_CGROUP_DEVICE = 6, BPF_F_ALLOW_MULTI = 2;

    /**
     * bpf(BPF_PROG_LOAD): loads a program ({@code insns}, 8 bytes per instruction); the verifier's log is in the
     * error message when it refuses it.
     */
    int bpfProgLoad(int type, byte[] insns, String license, int expectedAttachType) throws ErrnoException;

    /** bpf(BPF_PROG_ATTACH) to a cgroup directory descriptor. */
    void bpfProgAttach(int targetFd, int progFd, int attachType, int flags) throws ErrnoException;

    // ----- epoll

    int epollCreate() throws ErrnoException;

    void epollAdd(int epfd, int fd, int events, long data) throws ErrnoException;

    void epollDelete(int epfd, int fd) throws ErrnoException;

    /**
     * epoll_wait(2): fills {@code events[i]} and {@code data[i]}; returns how many are ready (0 on timeout).
     * EINTR is reported as 0.
     */
    int epollWait(int epfd, int[] events, long[] data, int timeoutMillis) throws ErrnoException;

    int eventfd(int initial, int flags) throws ErrnoException;

    // ----- terminals

    int posixOpenpt(int flags) throws ErrnoException;

    void grantpt(int fd) throws ErrnoException;

    void unlockpt(int fd) throws ErrnoException;

    String ptsname(int fd) throws ErrnoException;

    void setWindowSize(int fd, int rows, int columns) throws ErrnoException;

    /** {rows, columns} */
    int[] getWindowSize(int fd) throws ErrnoException;

    // ----- spawning

    /** posix_spawn(3); returns the child's PID. The error of a failed exec is thrown with its errno. */
    long posixSpawn(SpawnRequest request) throws ErrnoException;

    /**
     * Runs every code path the runtime uses while it may not start threads (after unshare(CLONE_NEWPID)) once,
     * on the calling thread, so that classes and native stubs are loaded beforehand.
     */
    void warmUp();
}
