package keel.engine.core.internal.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;

import keel.engine.api.network.Sandbox;
import keel.engine.api.network.SandboxFactory;

/** Network namespaces as plain files, for tests that need no kernel (no DNS server: no service discovery). */
final class FakeSandboxes implements SandboxFactory {

    final List<Path> deleted = new CopyOnWriteArrayList<>();

    @Override
    public Sandbox create(String id, Path path) throws IOException {
        Files.createDirectories(path.getParent());
        Files.createFile(path);
        return sandbox(id, path);
    }

    @Override
    public Optional<Sandbox> open(String id, Path path) {
        return Files.exists(path) ? Optional.of(sandbox(id, path)) : Optional.empty();
    }

    @Override
    public void delete(Path path) throws IOException {
        Files.deleteIfExists(path);
        deleted.add(path);
    }

    static Sandbox sandbox(String id, Path path) {
        return new Sandbox() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public Path path() {
                return path;
            }

            @Override
            public <T> T call(Callable<T> action) throws Exception {
                throw new IOException("a fake sandbox cannot be entered");
            }
        };
    }
}
