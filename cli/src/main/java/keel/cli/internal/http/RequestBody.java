package keel.cli.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A request body: a known length goes out with Content-Length, an unknown one (stdin) chunked. */
public interface RequestBody {

    /** The byte count, or -1 to send the body chunked. */
    long length();

    void writeTo(OutputStream out) throws IOException;

    static RequestBody ofFile(Path file) throws IOException {
        long size = Files.size(file);
        return new RequestBody() {
            @Override
            public long length() {
                return size;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                try (InputStream in = Files.newInputStream(file)) {
                    in.transferTo(out);
                }
            }
        };
    }

    static RequestBody ofStream(InputStream in) {
        return new RequestBody() {
            @Override
            public long length() {
                return -1;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                in.transferTo(out);
            }
        };
    }

    static RequestBody ofBytes(byte[] bytes) {
        return new RequestBody() {
            @Override
            public long length() {
                return bytes.length;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                out.write(bytes);
            }
        };
    }
}
