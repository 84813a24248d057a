package keel.network.bridge.internal.netlink;

import java.nio.charset.StandardCharsets;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/** {@link NetlinkKernel} bound to glibc through jnr-ffi; strings go to C as NUL-terminated UTF-8. */
public final class JnrNetlinkKernel implements NetlinkKernel {

    /** The functions we bind, with the man pages' signatures. */
    public interface LibC {
        @SaveError
        int socket(int domain, int type, int protocol);

        @SaveError
        int bind(int fd, @In byte[] addr, int addrlen);

        @SaveError
        int setsockopt(int fd, int level, int name, @In byte[] value, int len);

        @SaveError
        @ssize_t
        long sendto(int fd, @In byte[] buf, @size_t long len, int flags, @In byte[] addr, int addrlen);

        @SaveError
        @ssize_t
        long recv(int fd, @Out byte[] buf, @size_t long len, int flags);

        @SaveError
        int open(@In byte[] path, int flags, int mode);

        int close(int fd);

        String strerror(int errnum);
    }

    private static final class Holder {
        static final JnrNetlinkKernel INSTANCE = new JnrNetlinkKernel();
    }

    private final LibC libc;
    private final Runtime runtime;

    private JnrNetlinkKernel() {
        libc = LibraryLoader.create(LibC.class).load(Platform.getNativePlatform().getStandardCLibraryName());
        runtime = Runtime.getRuntime(libc);
    }

    /** The process-wide binding (generating it costs tens of milliseconds, so it is made once). */
    public static JnrNetlinkKernel instance() {
        return Holder.INSTANCE;
    }

    @Override
    public int socket(int domain, int type, int protocol) throws ErrnoException {
        return check("socket", libc.socket(domain, type, protocol));
    }

    @Override
    public void bind(int fd, byte[] sockaddr) throws ErrnoException {
        check("bind", libc.bind(fd, sockaddr, sockaddr.length));
    }

    @Override
    public void setsockopt(int fd, int level, int name, byte[] value) throws ErrnoException {
        check("setsockopt(" + level + ", " + name + ")", libc.setsockopt(fd, level, name, value, value.length));
    }

    @Override
    public int sendto(int fd, byte[] buf, int len, byte[] sockaddr) throws ErrnoException {
        return check("sendto", (int) libc.sendto(fd, buf, len, 0, sockaddr, sockaddr.length));
    }

    @Override
    public int recv(int fd, byte[] buf, int flags) throws ErrnoException {
        return check("recv", (int) libc.recv(fd, buf, buf.length, flags));
    }

    @Override
    public int open(String path, int flags) throws ErrnoException {
        return check("open(" + path + ")", libc.open(cString(path), flags, 0));
    }

    @Override
    public void close(int fd) {
        libc.close(fd);
    }

    private int check(String call, int rc) throws ErrnoException {
        if (rc >= 0) {
            return rc;
        }
        int errno = LastError.getLastError(runtime);
        throw new ErrnoException(call, errno, libc.strerror(errno));
    }

    @Override
    public String strerror(int errno) {
        return libc.strerror(errno);
    }

    private static byte[] cString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] z = new byte[b.length + 1];
        System.arraycopy(b, 0, z, 0, b.length);
        return z;
    }
}
