package keel.engine.archive.internal;

import java.io.IOException;

/** A failed libc call: the call, the path and errno, with the C library's text for it. */
public final class ErrnoException extends IOException {
    private static final long serialVersionUID = 1L;

    /** errno values this bundle tells apart (the same on every Linux architecture Keel runs on). */
    public static final int EPERM = 1;
    public static final int ERANGE = 34;
    public static final int ENODATA = 61;
    public static final int EOPNOTSUPP = 95;

    private final int errno;

    public ErrnoException(String call, Object path, int errno, String text) {
        super(call + " " + path + ": " + text + " (errno " + errno + ")");
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    /**
     * Whether the file system does not support the operation (EOPNOTSUPP) or the kernel does not allow it for this
     * kind of file (EPERM: user.* xattrs on a symlink or device node). Docker ignores both when it sets xattrs.
     */
    public boolean isUnsupported() {
        return errno == EOPNOTSUPP || errno == EPERM;
    }
}
