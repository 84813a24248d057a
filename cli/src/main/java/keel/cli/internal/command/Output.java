package keel.cli.internal.command;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** UTF-8 text to a standard stream, buffered until {@link #flush()} (commands flush before they exit). */
public final class Output {

    private final OutputStream raw;
    private final StringBuilder pending = new StringBuilder();

    public Output(OutputStream raw) {
        this.raw = raw;
    }

    public Output print(String s) {
        pending.append(s);
        if (pending.length() > 32 * 1024) {
            flush();
        }
        return this;
    }

    public Output println(String s) {
        return print(s).print("\n");
    }

    public Output println() {
        return print("\n");
    }

    public void flush() {
        if (pending.length() == 0) {
            try {
                raw.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        try {
            raw.write(pending.toString().getBytes(StandardCharsets.UTF_8));
            raw.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            pending.setLength(0);
        }
    }

    /** The underlying stream for binary output (image save to stdout); pending text goes first. */
    public OutputStream raw() {
        flush();
        return raw;
    }
}
