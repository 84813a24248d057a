package keel.network.bridge.internal.netlink;

import java.io.IOException;

/**
 * A system call or a netlink request failed: what was asked, the errno, the C library's text for it and, for
 * netlink, the kernel's own explanation (extended ack) when it gave one, e.g.
 * {@code create bridge kt-1: File exists (errno 17)}.
 */
public class ErrnoException extends IOException {
    private static final long serialVersionUID = 1L;

    public static final int ENOENT = 2;
    public static final int EAGAIN = 11;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ESRCH = 3;

    private final int errno;

    public ErrnoException(String call, int errno, String reason) {
        super(call + ": " + reason + " (errno " + errno + ")");
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
