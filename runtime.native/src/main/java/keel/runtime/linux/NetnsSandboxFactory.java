package keel.runtime.linux;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import keel.engine.api.network.Sandbox;
import keel.engine.api.network.SandboxFactory;
import keel.runtime.linux.internal.netns.NetworkNamespaces;
import keel.runtime.linux.internal.syscall.JnrLinuxKernel;

/** Network namespaces kept by bind mounts, for network drivers to configure before a container starts. */
@Component(service = SandboxFactory.class)
public final class NetnsSandboxFactory implements SandboxFactory {

    private final NetworkNamespaces namespaces = new NetworkNamespaces(JnrLinuxKernel.instance());

    @Deactivate
    void deactivate() {
        namespaces.close();
    }

    @Override
    public Sandbox create(String id, Path path) throws IOException {
        return namespaces.create(id, path);
    }

    @Override
    public Optional<Sandbox> open(String id, Path path) throws IOException {
        return namespaces.open(id, path);
    }

    @Override
    public void delete(Path path) throws IOException {
        namespaces.delete(path);
    }
}
