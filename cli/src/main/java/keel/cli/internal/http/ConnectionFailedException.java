package keel.cli.internal.http;

import java.io.IOException;

/** The daemon's socket could not be reached; docker words this "Cannot connect to the ... daemon". */
public final class ConnectionFailedException extends IOException {

    private static final long serialVersionUID = 1L;

    public ConnectionFailedException(DaemonHost host, Throwable cause) {
        super("Cannot connect to the Keel daemon at " + host + ". Is the daemon running?", cause);
    }
}
