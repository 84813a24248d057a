package keel.cli.internal.progress;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

import keel.cli.internal.command.Output;
import keel.cli.internal.format.HumanUnits;

/**
 * Counts bytes written (image save to a file) and, on a terminal, redraws one line "Saving: 12.3MB" at most ten
 * times a second; the line is erased when done so the terminal ends as docker leaves it.
 */
public final class ByteCountProgress extends FilterOutputStream {

    private final Output terminal;
    private final String label;
    private long count;
    private long lastDraw;

    public ByteCountProgress(OutputStream out, Output terminal, String label) {
        super(out);
        this.terminal = terminal;
        this.label = label;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        advance(1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        advance(len);
    }

    private void advance(long n) {
        count += n;
        long now = System.nanoTime();
        if (terminal != null && now - lastDraw > 100_000_000L) {
            lastDraw = now;
            terminal.print(JsonMessageDisplay.ERASE_LINE + "\r" + label + ": " + HumanUnits.humanSize(count)).flush();
        }
    }

    public long count() {
        return count;
    }

    /** Erases the progress line. */
    public void done() {
        if (terminal != null && lastDraw != 0) {
            terminal.print(JsonMessageDisplay.ERASE_LINE + "\r").flush();
        }
    }
}
