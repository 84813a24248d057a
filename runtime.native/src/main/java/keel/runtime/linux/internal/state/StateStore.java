package keel.runtime.linux.internal.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The container's state.json in its state directory, replaced atomically (temp file, rename), so a daemon killed
 * mid-write leaves the old state or the new one, never half of each.
 *
 * <p>Deliberately not fsync'ed: the file describes processes that cannot outlive a reboot (after one, adoption
 * finds nothing, whatever the file says), while a daemon crash or restart keeps the page cache. An fsync here
 * would only add milliseconds to every container start (2 to 10 ms measured on a busy disk).
 */
public final class StateStore {

    public static final String FILE = "state.json";
    /**
     * Beside the state while the process is held before its executable (created, not started): whoever finds it
     * without the daemon that held the process kills it. Removed at the start: one unlink, not a rewrite.
     */
    public static final String HELD = "held";

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private StateStore() {}

    public static void write(Path stateDir, ContainerState state) throws IOException {
        if (!stateDir.toFile().isDirectory()) { // JDK 17 finds an existing one by an exception
            Files.createDirectories(stateDir);
        }
        byte[] bytes = JSON.writeValueAsBytes(state);
        Path tmp = stateDir.resolve(FILE + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
        Files.move(tmp, stateDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public static Optional<ContainerState> read(Path stateDir) throws IOException {
        try {
            return Optional.of(JSON.readValue(Files.readAllBytes(stateDir.resolve(FILE)), ContainerState.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    public static void markHeld(Path stateDir) throws IOException {
        Files.write(stateDir.resolve(HELD), new byte[0]);
    }

    public static boolean isHeld(Path stateDir) {
        return stateDir.resolve(HELD).toFile().exists();
    }

    public static void unmarkHeld(Path stateDir) throws IOException {
        Files.delete(stateDir.resolve(HELD));
    }

    public static void delete(Path stateDir) throws IOException {
        for (String name : new String[] {HELD, FILE, FILE + ".tmp"}) {
            Path f = stateDir.resolve(name);
            if (f.toFile().exists()) { // JDK 17's deleteIfExists finds a missing file by an exception
                Files.deleteIfExists(f);
            }
        }
    }
}
