package keel.logging.json.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * An open log file; the open descriptor keeps reading the same file after the writer renames, compresses or
 * deletes it.
 */
public record OpenedLogFile(FileChannel channel, boolean gzip) implements Closeable {

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
