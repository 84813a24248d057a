package keel.engine.core.internal.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import keel.engine.api.container.HostConfig;
import keel.engine.core.internal.image.disk.AtomicFiles;

/**
 * A container's records on disk: {@code config.v2.json} (config, state, names, paths) and {@code hostconfig.json},
 * each replaced atomically (temp file, fsync, rename, fsync of the directory) so that a crash leaves the old
 * version or the new, never a torn one. The records of an {@linkplain ContainerRecord#ephemeral ephemeral}
 * ({@code --rm}) container are replaced atomically without the flushes: the next start removes such a container
 * whatever a power cut left of its files (see {@code ContainerEngine.load}).
 */
final class ContainerFiles {

    static final String CONFIG = "config.v2.json";
    static final String HOST_CONFIG = "hostconfig.json";

    private ContainerFiles() {}

    static void write(ContainerRecord r) throws IOException {
        StoredContainer s = r.toStored();
        AtomicFiles.write(r.dir.resolve(CONFIG), DockerJson.MAPPER.writeValueAsBytes(s), !r.ephemeral());
    }

    static void writeHostConfig(ContainerRecord r) throws IOException {
        HostConfig hc;
        synchronized (r) {
            hc = r.hostConfig;
        }
        AtomicFiles.write(r.dir.resolve(HOST_CONFIG), DockerJson.MAPPER.writeValueAsBytes(hc), !r.ephemeral());
    }

    static StoredContainer readConfig(Path dir) throws IOException {
        return DockerJson.MAPPER.readValue(Files.readAllBytes(dir.resolve(CONFIG)), StoredContainer.class);
    }

    /**
     * The host config when the file exists and parses, else null: tells a record torn by a power cut (only an
     * ephemeral container's can be) from a durable one.
     */
    static HostConfig readHostConfigIfWhole(Path dir) {
        try {
            Path f = dir.resolve(HOST_CONFIG);
            if (!Files.isRegularFile(f)) {
                return null;
            }
            return DockerJson.MAPPER.readValue(Files.readAllBytes(f), HostConfig.class);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static HostConfig readHostConfig(Path dir) throws IOException {
        Path f = dir.resolve(HOST_CONFIG);
        if (!Files.exists(f)) {
            return HostConfig.EMPTY;
        }
        return DockerJson.MAPPER.readValue(Files.readAllBytes(f), HostConfig.class);
    }
}
