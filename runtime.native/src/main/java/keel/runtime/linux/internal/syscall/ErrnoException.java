package keel.runtime.linux.internal.syscall;

import java.io.IOException;

/**
 * A system call failed: which call (with its interesting argument), the errno and the C library's text for it,
 * e.g. {@code mount(/dev/pts): No such device (errno 19)}.
 */
public final class ErrnoException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;
    private final String reason;

    public ErrnoException(String call, int errno, String reason) {
        super(call + ": " + reason + " (errno " + errno + ")");
        this.call = call;
        this.errno = errno;
        this.reason = reason;
    }

    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }

    /** strerror(3)'s text with a lower-case first letter, the way Go (and so runc) prints errors. */
    public String goStyleReason() {
        if (reason == null || reason.isEmpty()) {
            return "errno " + errno;
        }
        return Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
    }
}
