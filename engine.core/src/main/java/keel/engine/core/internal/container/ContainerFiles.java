package keel.engine.core.internal.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import keel.engine.api.container.HostConfig;
import keel.engine.core.internal.image.disk.AtomicFiles;

/**
 * A container's records on disk: {@code config.v2.json} (config, state, names, paths) and {@code hostconfig.json},
 * each replaced atomically (temp file, fsync, rename, fsync of the directory) so that a crash leaves the old
 * version or the new, never a torn one.
 */
final class ContainerFiles {

    static final String CONFIG = "config.v2.json";
    static final String HOST_CONFIG = "hostconfig.json";

    private ContainerFiles() {}

    static void write(ContainerRecord r) throws IOException {
        StoredContainer s = r.toStored();
        AtomicFiles.write(r.dir.resolve(CONFIG), DockerJson.MAPPER.writeValueAsBytes(s));
    }

    static void writeHostConfig(ContainerRecord r) throws IOException {
        HostConfig hc;
        synchronized (r) {
            hc = r.hostConfig;
        }
        AtomicFiles.write(r.dir.resolve(HOST_CONFIG), DockerJson.MAPPER.writeValueAsBytes(hc));
    }

    static StoredContainer readConfig(Path dir) throws IOException {
        return DockerJson.MAPPER.readValue(Files.readAllBytes(dir.resolve(CONFIG)), StoredContainer.class);
    }

    static HostConfig readHostConfig(Path dir) throws IOException {
        Path f = dir.resolve(HOST_CONFIG);
        if (!Files.exists(f)) {
            return HostConfig.EMPTY;
        }
        return DockerJson.MAPPER.readValue(Files.readAllBytes(f), HostConfig.class);
    }
}
