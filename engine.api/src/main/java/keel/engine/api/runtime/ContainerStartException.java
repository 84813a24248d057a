package keel.engine.api.runtime;

import java.io.IOException;

/**
 * A container could not be started. The message reads like runc's ({@code exec: "foo": executable file not found
 * in $PATH}) so that clients that interpret it (the docker CLI exits 127 or 126 on those words) keep working.
 */
public class ContainerStartException extends IOException {
    private static final long serialVersionUID = 1L;

    public ContainerStartException(String message) {
        super(message);
    }

    public ContainerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
