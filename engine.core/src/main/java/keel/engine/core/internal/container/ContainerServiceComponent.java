package keel.engine.core.internal.container;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import keel.engine.api.container.AttachOptions;
import keel.engine.api.container.Attachment;
import keel.engine.api.container.ContainerDetails;
import keel.engine.api.container.ContainerService;
import keel.engine.api.container.ContainerSummary;
import keel.engine.api.container.CreateRequest;
import keel.engine.api.container.CreateResult;
import keel.engine.api.container.ExecConfig;
import keel.engine.api.container.ExecDetails;
import keel.engine.api.container.LogOptions;
import keel.engine.api.container.PruneReport;
import keel.engine.api.container.StreamSink;
import keel.engine.api.container.TopResult;
import keel.engine.api.container.WaitCondition;
import keel.engine.api.container.WaitResult;
import keel.engine.api.logging.LogDriver;
import keel.engine.api.network.SandboxFactory;
import keel.engine.api.runtime.ContainerRuntime;
import keel.engine.core.internal.container.output.OutputPump;
import keel.engine.core.internal.daemon.EngineConfig;
import keel.engine.core.internal.image.ImageUsage;
import keel.engine.core.internal.image.Images;
import keel.engine.core.internal.network.ContainerNetworks;
import keel.engine.core.internal.storage.ActiveStorage;

/**
 * Registers the engine's {@link ContainerService} (and {@link ImageUsage} for the image store, {@link ContainerCounts}
 * for {@code docker info}) on a {@link ContainerEngine}; networking is the network service's ({@link
 * ContainerNetworks}). Runtimes, log drivers and the sandbox factory come and go as bundles do; containers already
 * loaded wait for the ones they need. Activation returns at once: loading and recovering containers happens on a
 * thread of the engine's.
 */
@Component(service = {ContainerService.class, ImageUsage.class, ContainerCounts.class},
        configurationPid = EngineConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
public final class ContainerServiceComponent implements ContainerService, ImageUsage, ContainerCounts {

    private final Drivers<ContainerRuntime> runtimes = new Drivers<>(ContainerRuntime.NAME_PROPERTY);
    private final Drivers<LogDriver> logDrivers = new Drivers<>(LogDriver.NAME_PROPERTY);
    private volatile SandboxFactory sandboxFactory;
    private final ContainerEngine engine;

    @Activate
    public ContainerServiceComponent(EngineConfig config, @Reference(name = "images") Images images,
            @Reference(name = "storage") ActiveStorage storage,
            @Reference(name = "networks") ContainerNetworks networks) {
        logDrivers.add(new NoneLogDriver(), Map.of(LogDriver.NAME_PROPERTY, NoneLogDriver.NAME));
        this.engine = new ContainerEngine(ContainerSettings.of(config), images, storage, runtimes, logDrivers,
                networks, () -> sandboxFactory, new SpecBridge(Path.of(config.data_root())),
                OutputPump.onThisHost(), Clock.systemUTC());
        engine.open();
    }

    @Deactivate
    void deactivate() {
        engine.close();
    }

    @Reference(name = "runtime", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addRuntime(ContainerRuntime runtime, Map<String, Object> props) {
        runtimes.add(runtime, props);
    }

    void removeRuntime(ContainerRuntime runtime) {
        runtimes.remove(runtime);
    }

    @Reference(name = "logDriver", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addLogDriver(LogDriver driver, Map<String, Object> props) {
        logDrivers.add(driver, props);
    }

    void removeLogDriver(LogDriver driver) {
        logDrivers.remove(driver);
    }

    @Reference(name = "sandboxFactory", cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC)
    void setSandboxFactory(SandboxFactory factory) {
        sandboxFactory = factory;
    }

    void unsetSandboxFactory(SandboxFactory factory) {
        if (sandboxFactory == factory) {
            sandboxFactory = null;
        }
    }

    @Override
    public CreateResult create(String name, CreateRequest request) {
        return engine.create(name, request);
    }

    @Override
    public void start(String id) {
        engine.start(id);
    }

    @Override
    public void stop(String id, Integer timeoutSeconds, String signal) {
        engine.stop(id, timeoutSeconds, signal);
    }

    @Override
    public void restart(String id, Integer timeoutSeconds, String signal) {
        engine.restart(id, timeoutSeconds, signal);
    }

    @Override
    public void kill(String id, String signal) {
        engine.kill(id, signal);
    }

    @Override
    public CompletionStage<WaitResult> await(String id, WaitCondition condition) {
        return engine.await(id, condition);
    }

    @Override
    public void remove(String id, boolean force, boolean removeVolumes) {
        engine.remove(id, force, removeVolumes);
    }

    @Override
    public void pause(String id) {
        engine.pause(id);
    }

    @Override
    public void unpause(String id) {
        engine.unpause(id);
    }

    @Override
    public void rename(String id, String newName) {
        engine.rename(id, newName);
    }

    @Override
    public TopResult top(String id, String psArgs) {
        return engine.top(id, psArgs);
    }

    @Override
    public ContainerDetails inspect(String id, boolean size) {
        return engine.inspect(id, size);
    }

    @Override
    public List<ContainerSummary> list(boolean all, int limit, boolean size, Map<String, List<String>> filters) {
        return engine.list(all, limit, size, filters);
    }

    @Override
    public PruneReport prune(Map<String, List<String>> filters) {
        return engine.prune(filters);
    }

    @Override
    public void resize(String id, int height, int width) {
        engine.resize(id, height, width);
    }

    @Override
    public Attachment attach(String id, AttachOptions options, StreamSink sink) {
        return engine.attach(id, options, sink);
    }

    @Override
    public void logs(String id, LogOptions options, StreamSink sink) {
        engine.logs(id, options, sink);
    }

    @Override
    public String execCreate(String id, ExecConfig config) {
        return engine.execCreate(id, config);
    }

    @Override
    public Attachment execStart(String execId, boolean detach, boolean tty, StreamSink sink) {
        return engine.execStart(execId, detach, tty, sink);
    }

    @Override
    public ExecDetails execInspect(String execId) {
        return engine.execInspect(execId);
    }

    @Override
    public void execResize(String execId, int height, int width) {
        engine.execResize(execId, height, width);
    }

    @Override
    public int containersUsing(String imageId) {
        return engine.containersUsing(imageId);
    }

    @Override
    public String containerUsing(String imageId, boolean running) {
        return engine.containerUsing(imageId, running);
    }

    @Override
    public Counts counts() {
        return engine.counts();
    }

    @Override
    public List<String> warnings() {
        return engine.warnings();
    }
}
