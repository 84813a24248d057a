package keel.engine.core.internal.container;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.container.CreateRequest;
import keel.engine.api.container.ExecConfig;
import keel.engine.api.container.HostConfig;
import keel.engine.api.container.LogOptions;
import keel.engine.api.container.StreamSink;
import keel.engine.api.errors.EngineException;
import keel.engine.api.logging.LogDriver;
import keel.engine.api.network.EndpointResult;
import keel.engine.api.network.EndpointSpec;
import keel.engine.api.network.NetworkDriver;
import keel.engine.api.network.NetworkSpec;
import keel.engine.api.network.Sandbox;
import keel.engine.api.network.SandboxFactory;
import keel.engine.api.oci.Process;
import keel.engine.api.oci.Root;
import keel.engine.api.oci.Spec;
import keel.engine.api.runtime.ContainerRuntime;
import keel.engine.core.internal.container.output.OutputPump;
import keel.engine.core.internal.container.spec.SpecRequest;
import keel.engine.core.internal.image.StoreFixture;
import keel.engine.core.internal.image.TestImages;
import keel.engine.core.internal.network.NetworkDefaults;
import keel.engine.core.internal.network.NetworkDrivers;
import keel.engine.core.internal.network.NetworkEngine;
import keel.engine.core.internal.network.ipam.AddressPools;
import keel.engine.core.internal.network.ipam.HostRoutes;
import keel.engine.core.internal.network.ipam.Ipv4Prefix;
import keel.logging.json.JsonFileLogDriver;

/**
 * A container engine on a data root in a test directory: the real image store on vfs with busybox loaded, the real
 * json-file log driver, and the runtime, spec side and network given by the test (fakes for lifecycle tests, the
 * real ones for integration tests). {@link #restart} starts a new engine on the same disk, as a daemon restart.
 */
final class ContainerFixture implements AutoCloseable {

    final Path root;
    final StoreFixture images;
    /** The engine's settings; a test may change them before {@link #open}. */
    ContainerSettings settings;
    final Drivers<ContainerRuntime> runtimes = new Drivers<>(ContainerRuntime.NAME_PROPERTY);
    final Drivers<LogDriver> logDrivers = new Drivers<>(LogDriver.NAME_PROPERTY);
    final NetworkDrivers networkDrivers = new NetworkDrivers();
    final ContainerSpecs specs;
    volatile SandboxFactory sandboxes;
    /** The networks' options; tests on the real bridge driver set test subnets and bridge names before open. */
    NetworkDefaults networkDefaults;
    /** What the host routes (none by default: no test looks at the host's). */
    HostRoutes routes;
    NetworkEngine networks;
    ContainerEngine engine;

    ContainerFixture(Path root, ContainerRuntime runtime, ContainerSpecs specs) throws IOException {
        this.root = root;
        this.images = new StoreFixture(root.resolve("data"));
        this.settings = new ContainerSettings(root.resolve("data"), root.resolve("run"), "json-file", Map.of(),
                "native", Path.of("/usr/bin/tini-static"), "/keel-test");
        this.specs = specs;
        this.networkDefaults = new NetworkDefaults(root.resolve("data"), root.resolve("run"),
                Ipv4Prefix.parse("198.18.0.1/24"), null, "kf-none", 1500, true, new AddressPools(List.of(
                        new AddressPools.Pool(Ipv4Prefix.parse("198.18.0.0/16"), 24))), List.of(), List.of(),
                List.of(), java.time.Duration.ofSeconds(2));
        images.usage = imageId -> engine == null ? 0 : engine.containersUsing(imageId);
        images.load(TestImages.dockerArchive(List.of(new TestImages.Named(TestImages.busybox(), "busybox:latest")),
                true, false));
        logDrivers.add(new NoneLogDriver(), Map.of(LogDriver.NAME_PROPERTY, "none"));
        logDrivers.add(new JsonFileLogDriver(), Map.of(LogDriver.NAME_PROPERTY, "json-file"));
        if (runtime != null) {
            runtimes.add(runtime, Map.of(ContainerRuntime.NAME_PROPERTY, "native"));
        }
    }

    /** Around {@code runtime}: the real spec builder, network namespaces and the none network driver. */
    static ContainerFixture withNamespaces(Path dir, ContainerRuntime runtime) throws IOException {
        ContainerFixture f = new ContainerFixture(dir, runtime, new SpecBridge(dir.resolve("data")));
        f.sandboxes = new keel.runtime.linux.NetnsSandboxFactory();
        f.networkDrivers.add(new keel.network.none.NoneNetworkDriver(), Map.of(NetworkDriver.NAME_PROPERTY,
                "none"));
        return f;
    }

    ContainerEngine open() throws Exception {
        networks = new NetworkEngine(networkDefaults, networkDrivers, () -> sandboxes,
                routes != null ? routes : new HostRoutes(root.resolve("no-routes"), root.resolve("no-resolv.conf")),
                Path.of("/etc/resolv.conf"), Clock.systemUTC());
        networks.open();
        engine = new ContainerEngine(settings, images.store, images.storage, runtimes, logDrivers, networks,
                () -> sandboxes, specs, OutputPump.onThisHost(), Clock.systemUTC());
        engine.open().get(30, TimeUnit.SECONDS);
        return engine;
    }

    /** Closes the engine (containers keep running) and opens a new one on the same disk. */
    ContainerEngine restart() throws Exception {
        engine.close();
        networks.close();
        return open();
    }

    @Override
    public void close() {
        if (engine != null) {
            for (ContainerRecord r : engine.index.all()) {
                try {
                    engine.removeInternal(r, true, r.id);
                } catch (RuntimeException e) {
                    // best effort: the test directory goes anyway
                }
            }
            engine.close();
        }
        if (networks != null) {
            networks.close();
        }
        images.close();
    }

    /**
     * The sandbox factory makes the netns directory a private mount point of its own (as ip-netns does): undone
     * after a test with real namespaces.
     */
    void unmountNetnsDir() throws IOException, InterruptedException {
        Path netns = settings.execRoot().resolve("netns");
        if (Files.readString(Path.of("/proc/self/mountinfo")).contains(" " + netns + " ")) {
            java.lang.Process p = new ProcessBuilder("umount", "-l", netns.toString()).inheritIO().start();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("umount -l " + netns + " failed");
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Requests

    static ContainerConfig config(String... cmd) {
        return ContainerConfig.builder().image("busybox").cmd(List.of(cmd)).build();
    }

    static CreateRequest request(ContainerConfig config, HostConfig host) {
        return new CreateRequest(config, host, null);
    }

    static HostConfig host(Object... nameValues) {
        return Records.with(HostConfig.EMPTY, nameValues);
    }

    String create(String name, String... cmd) {
        return engine.create(name, request(config(cmd), host("networkMode", "host"))).id();
    }

    String run(String name, String... cmd) {
        String id = create(name, cmd);
        engine.start(id);
        return id;
    }

    int awaitExit(String id) throws Exception {
        return engine.await(id, keel.engine.api.container.WaitCondition.NOT_RUNNING).toCompletableFuture()
                .get(30, TimeUnit.SECONDS).statusCode();
    }

    /** Reads the whole log (stdout and stderr, no follow). */
    String logs(String id) {
        CollectingSink sink = new CollectingSink();
        engine.logs(id, new LogOptions(true, true, false, false, -1, 0, 0), sink);
        return sink.text();
    }

    static EngineException expect(Callable<?> call) {
        try {
            call.call();
        } catch (EngineException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected an EngineException, got " + e, e);
        }
        throw new AssertionError("expected an EngineException");
    }

    static ExecConfig exec(String... cmd) {
        return new ExecConfig(false, true, true, null, false, null, List.of(cmd), false, null, null, null);
    }

    static void await(Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in time");
            }
            Thread.sleep(10);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Fakes

    /** A sink that keeps what it receives, per stream, and whether it was ended. */
    static final class CollectingSink implements StreamSink {
        final ByteArrayOutputStream all = new ByteArrayOutputStream();
        final List<Integer> streams = new CopyOnWriteArrayList<>();
        volatile boolean ended;
        volatile boolean refuse;

        @Override
        public synchronized boolean write(int stream, byte[] data, int offset, int length) {
            if (refuse) {
                return false;
            }
            streams.add(stream);
            all.write(data, offset, length);
            return true;
        }

        @Override
        public void end() {
            ended = true;
        }

        synchronized String text() {
            return all.toString(StandardCharsets.UTF_8);
        }
    }

    /** The spec side reduced to what the lifecycle needs: the command line and a few files. */
    static final class StubSpecs implements ContainerSpecs {
        @Override
        public List<String> validate(ContainerConfig config, HostConfig hostConfig) {
            if (hostConfig.memory() != null && hostConfig.memory() > 0 && hostConfig.memory() < 6 * 1024 * 1024) {
                throw EngineException.invalid("Minimum memory limit allowed is 6MB");
            }
            return List.of();
        }

        @Override
        public String defaultHostname(String containerId, ContainerConfig config, HostConfig hostConfig) {
            return "host".equals(hostConfig.networkMode()) ? "the-host" : containerId.substring(0, 12);
        }

        @Override
        public EtcPaths writeEtcFiles(ContainerConfig config, HostConfig hostConfig, Path containerDir)
                throws IOException {
            Files.writeString(containerDir.resolve("hostname"), config.hostname() + "\n");
            Files.writeString(containerDir.resolve("hosts"), "127.0.0.1\tlocalhost\n");
            Files.writeString(containerDir.resolve("resolv.conf"), "nameserver 8.8.8.8\n");
            return new EtcPaths(containerDir.resolve("hostname"), containerDir.resolve("hosts"),
                    containerDir.resolve("resolv.conf"));
        }

        @Override
        public Spec build(SpecRequest r) {
            List<String> args = new ArrayList<>();
            if (r.config().entrypoint() != null) {
                args.addAll(r.config().entrypoint());
            }
            if (r.config().cmd() != null) {
                args.addAll(r.config().cmd());
            }
            Process p = new Process(Boolean.TRUE.equals(r.config().tty()), null,
                    new Process.User(0, 0, null, null, null), args, r.config().env(), "/", null, null, true, null,
                    null, null);
            return new Spec(Spec.VERSION, p, new Root(r.rootfs().toString(), false), r.config().hostname(), null,
                    List.of(), null, Map.of(), null);
        }

        @Override
        public Process execProcess(Spec containerSpec, ExecConfig exec, Path rootfs, ContainerConfig config,
                HostConfig hostConfig) {
            List<String> env = new ArrayList<>(containerSpec.process().env() == null ? List.of()
                    : containerSpec.process().env());
            if (exec.env() != null) {
                env.addAll(exec.env());
            }
            return new Process(Boolean.TRUE.equals(exec.tty()), null, containerSpec.process().user(), exec.cmd(), env,
                    "/", null, null, true, null, null, null);
        }

        @Override
        public void checkUser(String user, Path rootfs) {
            if (user.equals("ghost")) {
                throw EngineException.invalid("unable to find user ghost: no matching entries in passwd file");
            }
        }
    }

    /** Network namespaces as plain files; records what was made and removed. */
    static final class FakeSandboxes implements SandboxFactory {
        final List<Path> created = new CopyOnWriteArrayList<>();
        final List<Path> deleted = new CopyOnWriteArrayList<>();

        @Override
        public Sandbox create(String id, Path path) throws IOException {
            Files.createFile(path);
            created.add(path);
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

        private static Sandbox sandbox(String id, Path path) {
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
                    return action.call();
                }
            };
        }
    }

    /** The none driver's contract without the kernel: records joins and leaves. */
    static final class FakeNoneDriver implements NetworkDriver {
        final List<String> joined = new CopyOnWriteArrayList<>();
        final List<String> left = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "none";
        }

        @Override
        public void createNetwork(NetworkSpec network) {}

        @Override
        public void deleteNetwork(NetworkSpec network) {}

        @Override
        public EndpointResult join(NetworkSpec network, EndpointSpec endpoint, Sandbox sandbox) {
            joined.add(endpoint.containerId());
            return new EndpointResult(null, null, null, null);
        }

        @Override
        public void leave(NetworkSpec network, EndpointSpec endpoint, Sandbox sandbox) {
            left.add(endpoint.containerId());
        }
    }
}
