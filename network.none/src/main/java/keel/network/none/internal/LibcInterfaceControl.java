package keel.network.none.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.In;

/**
 * netdevice(7): SIOCGIFFLAGS then SIOCSIFFLAGS with IFF_UP on a datagram socket, which acts on the network
 * namespace of the calling thread (the sandbox's, inside {@code Sandbox.call}).
 */
public final class LibcInterfaceControl implements InterfaceControl {
    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final long SIOCGIFFLAGS = 0x8913;
    private static final long SIOCSIFFLAGS = 0x8914;
    private static final short IFF_UP = 0x1;
    /** struct ifreq: a 16-byte name then a union whose first member here is short ifr_flags. */
    private static final int IFREQ_SIZE = 40;
    private static final int IFNAMSIZ = 16;

    public interface LibC {
        int socket(int domain, int type, int protocol);

        int ioctl(int fd, long request, @In @Out byte[] ifreq);

        int close(int fd);
    }

    private static final class Holder {
        static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    }

    @Override
    public void up(String name) throws IOException {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        if (n.length >= IFNAMSIZ) {
            throw new IOException("interface name too long: " + name);
        }
        LibC libc = Holder.LIBC;
        int fd = libc.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new IOException("socket: " + errno());
        }
        try {
            byte[] ifreq = new byte[IFREQ_SIZE];
            System.arraycopy(n, 0, ifreq, 0, n.length);
            if (libc.ioctl(fd, SIOCGIFFLAGS, ifreq) < 0) {
                throw new IOException("SIOCGIFFLAGS " + name + ": " + errno());
            }
            short flags = (short) ((ifreq[IFNAMSIZ] & 0xff) | (ifreq[IFNAMSIZ + 1] << 8));
            flags |= IFF_UP;
            ifreq[IFNAMSIZ] = (byte) flags;
            ifreq[IFNAMSIZ + 1] = (byte) (flags >> 8);
            if (libc.ioctl(fd, SIOCSIFFLAGS, ifreq) < 0) {
                throw new IOException("SIOCSIFFLAGS " + name + ": " + errno());
            }
        } finally {
            libc.close(fd);
        }
    }

    private static String errno() {
        int e = Runtime.getSystemRuntime().getLastError();
        return "errno " + e;
    }
}
