package keel.engine.core.internal.image.archive;

import java.io.IOException;

/** An archive that is not a valid image archive (malformed, inconsistent, unsafe): the user's input is at fault. */
public class BadArchiveException extends IOException {
    private static final long serialVersionUID = 1L;

    public BadArchiveException(String message) {
        super(message);
    }

    public BadArchiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
