package keel.cli.internal.http;

import java.io.IOException;

/** The daemon answered with an error status; the message is already in docker's wording. */
public final class DaemonException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public DaemonException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public boolean isNotFound() {
        return status == 404;
    }
}
