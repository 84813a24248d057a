package keel.engine.rest;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import keel.engine.api.container.ContainerService;
import keel.engine.api.image.ImageService;
import keel.engine.api.network.NetworkService;
import keel.engine.api.plugin.PluginService;
import keel.engine.api.system.SystemService;
import keel.engine.rest.internal.DockerApi;
import keel.engine.rest.internal.server.ApiServer;
import keel.engine.rest.internal.server.ListenAddress;

/** The real server on a Unix socket in a test's temporary directory, over fake services that can be swapped. */
final class ApiFixture implements AutoCloseable {
    final FakeSystemService system = new FakeSystemService();
    final FakeImageService images = new FakeImageService();
    final FakePluginService plugins = new FakePluginService();
    final FakeContainerService containers = new FakeContainerService();
    final FakeNetworkService networks = new FakeNetworkService(containers);
    final AtomicReference<SystemService> systemRef = new AtomicReference<>(system);
    final AtomicReference<ImageService> imagesRef = new AtomicReference<>(images);
    final AtomicReference<PluginService> pluginsRef = new AtomicReference<>(plugins);
    final AtomicReference<ContainerService> containersRef = new AtomicReference<>(containers);
    final AtomicReference<NetworkService> networksRef = new AtomicReference<>(networks);
    final Path socket;
    final ApiServer server;
    final UnixHttpClient http;

    ApiFixture(Path dir) throws Exception {
        this(dir, "keel");
    }

    ApiFixture(Path dir, String group) throws Exception {
        socket = dir.resolve("run/keel.sock");
        DockerApi api = new DockerApi(systemRef::get, imagesRef::get, pluginsRef::get, containersRef::get,
                networksRef::get);
        server = new ApiServer(List.of(new ListenAddress.UnixSocket(socket)), group, api.handler(),
                api.errorHandler());
        server.start();
        http = new UnixHttpClient(socket);
    }

    String host() {
        return "unix://" + socket;
    }

    @Override
    public void close() {
        server.close();
    }
}
