package keel.engine.core.internal.network;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import keel.engine.core.internal.image.disk.AtomicFiles;

/**
 * The network records on disk: {@code <data-root>/network/<id>.json}, written durably (temp file, fsync, rename,
 * fsync of the directory), and the endpoints of running containers under {@code <exec-root>/network/endpoints/},
 * written atomically without flushing (see {@link EndpointRecord} for why that is enough).
 */
final class NetworkStore {

    private static final System.Logger LOG = System.getLogger(NetworkStore.class.getName());
    private static final ObjectMapper JSON = JsonMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final Path networks;
    private final Path endpoints;

    NetworkStore(Path dataRoot, Path execRoot) {
        this.networks = dataRoot.resolve("network");
        this.endpoints = execRoot.resolve("network").resolve("endpoints");
    }

    List<NetworkRecord> loadNetworks() throws IOException {
        return load(networks, NetworkRecord.class);
    }

    List<EndpointRecord> loadEndpoints() throws IOException {
        return load(endpoints, EndpointRecord.class);
    }

    void save(NetworkRecord n) throws IOException {
        AtomicFiles.write(networks.resolve(n.id() + ".json"), JSON.writeValueAsBytes(n));
    }

    void delete(NetworkRecord n) throws IOException {
        Files.deleteIfExists(networks.resolve(n.id() + ".json"));
        AtomicFiles.fsyncDirectory(networks);
    }

    void save(EndpointRecord e) throws IOException {
        AtomicFiles.writeEphemeral(endpoints.resolve(e.id() + ".json"), JSON.writeValueAsBytes(e));
    }

    void delete(EndpointRecord e) {
        try {
            Files.deleteIfExists(endpoints.resolve(e.id() + ".json"));
        } catch (IOException ex) {
            LOG.log(Level.WARNING, "cannot remove the record of endpoint " + e.id(), ex);
        }
    }

    private static <T> List<T> load(Path dir, Class<T> type) throws IOException {
        List<T> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.startsWith(AtomicFiles.TEMP_PREFIX)) {
                    Files.deleteIfExists(f); // a write cut short
                    continue;
                }
                if (!name.endsWith(".json")) {
                    continue;
                }
                try {
                    out.add(JSON.readValue(Files.readAllBytes(f), type));
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.ERROR, "cannot read " + f + "; it is ignored", e);
                }
            }
        } catch (NoSuchFileException e) {
            // nothing recorded yet
        }
        return out;
    }
}
