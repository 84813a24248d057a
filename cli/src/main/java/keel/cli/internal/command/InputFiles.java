package keel.cli.internal.command;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import keel.cli.internal.http.RequestBody;

/** Files given on the command line as request bodies, with Go's os.Open wording when they cannot be read. */
public final class InputFiles {

    private InputFiles() {
    }

    public static RequestBody body(String name) throws CliException, IOException {
        Path p = Path.of(name);
        if (Files.isDirectory(p)) {
            throw new CliException(1, "read " + name + ": is a directory");
        }
        try {
            if (!Files.isReadable(p) && Files.exists(p)) {
                throw new AccessDeniedException(name);
            }
            return RequestBody.ofFile(p);
        } catch (NoSuchFileException e) {
            throw new CliException(1, "open " + name + ": no such file or directory");
        } catch (AccessDeniedException e) {
            throw new CliException(1, "open " + name + ": permission denied");
        }
    }
}
