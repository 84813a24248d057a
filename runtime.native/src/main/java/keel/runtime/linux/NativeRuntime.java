package keel.runtime.linux;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import keel.engine.api.runtime.ContainerLaunch;
import keel.engine.api.runtime.ContainerRuntime;
import keel.engine.api.runtime.CreatedContainer;
import keel.engine.api.runtime.RunningContainer;
import keel.engine.api.runtime.RuntimeInfo;
import keel.runtime.linux.internal.container.NativeRuntimeCore;

/**
 * Keel's own OCI runtime: runs config.json bundles from the JVM through jnr-ffi, with no runc and no helper
 * process per container. Stopping the component leaves containers running; the next instance adopts them.
 */
@Component(service = ContainerRuntime.class, property = ContainerRuntime.NAME_PROPERTY + "=" + NativeRuntime.NAME)
public final class NativeRuntime implements ContainerRuntime {

    public static final String NAME = "native";

    private final NativeRuntimeCore core;

    @Activate
    public NativeRuntime() throws IOException {
        this.core = new NativeRuntimeCore();
    }

    @Deactivate
    void deactivate() {
        core.close();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RuntimeInfo info() {
        return core.info();
    }

    @Override
    public RunningContainer start(ContainerLaunch launch) throws IOException {
        return core.start(launch);
    }

    @Override
    public CreatedContainer create(ContainerLaunch launch) throws IOException {
        return core.create(launch);
    }

    @Override
    public Optional<RunningContainer> adopt(String id, Path stateDir) throws IOException {
        return core.adopt(id, stateDir);
    }

    @Override
    public void delete(String id, Path stateDir) throws IOException {
        core.delete(id, stateDir);
    }
}
