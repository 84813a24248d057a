package keel.engine.archive.internal;

import java.io.IOException;

/**
 * The archive's fault: malformed, truncated, over a limit, or an entry that would write outside its target. Kept
 * apart from I/O errors of the disk so that callers and tests can tell a rejected layer from a failing host.
 */
public final class InvalidArchiveException extends IOException {
    private static final long serialVersionUID = 1L;

    public InvalidArchiveException(String message) {
        super(message);
    }

    public InvalidArchiveException(String message, Throwable cause) {
        super(message, cause);
    }

    /** "archive entry 'name': reason", with the name shortened and control characters escaped for logs. */
    public static InvalidArchiveException entry(String name, String reason) {
        return new InvalidArchiveException("archive entry '" + printable(name) + "': " + reason);
    }

    static String printable(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 256; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        if (b.length() >= 256) {
            b.append("...");
        }
        return b.toString();
    }
}
