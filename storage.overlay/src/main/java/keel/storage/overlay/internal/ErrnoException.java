package keel.storage.overlay.internal;

import java.io.IOException;

/** A failed libc call: which call, on what, and the errno it set (so callers can tell EINVAL from ENOENT). */
public final class ErrnoException extends IOException {
    private static final long serialVersionUID = 1L;

    public static final int ENOENT = 2, EBUSY = 16, EINVAL = 22, ENOSYS = 38, ENODATA = 61, EOPNOTSUPP = 95;

    private final int errno;

    public ErrnoException(String call, int errno, String description) {
        super(call + ": " + description + " (errno " + errno + ")");
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
