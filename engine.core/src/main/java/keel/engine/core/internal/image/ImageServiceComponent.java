package keel.engine.core.internal.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

import keel.engine.api.errors.EngineException;
import keel.engine.api.image.DeleteItem;
import keel.engine.api.image.HistoryEntry;
import keel.engine.api.image.ImageDetails;
import keel.engine.api.image.ImageService;
import keel.engine.api.image.ImageSummary;
import keel.engine.api.image.ImportOptions;
import keel.engine.api.image.ProgressListener;
import keel.engine.api.image.PruneReport;
import keel.engine.core.internal.daemon.EngineConfig;
import keel.engine.core.internal.storage.ActiveStorage;

/**
 * Registers the engine's {@link ImageService} (for the REST layer) and {@link Images} (for the container side):
 * an {@link ImageStore} on the storage driver in use, reconciled with it at activation.
 */
@Component(service = {ImageService.class, Images.class}, configurationPid = EngineConfig.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class ImageServiceComponent implements ImageService, Images {

    /**
     * The store, opened on a thread of its own: its records live under the chosen storage driver's directory, and
     * the automatic choice waits for driver bundles that start after this component. Blocking activation on it
     * would hold up the very bundles it waits for.
     */
    private final CompletableFuture<ImageStore> opening;


    @Activate
    public ImageServiceComponent(EngineConfig config, @Reference(name = "storage") ActiveStorage storage,
            BundleContext context) {
        this(config, storage, usageLookup(context));
    }

    /**
     * Which images containers use, looked up at each use rather than injected: the container service that
     * provides it needs this component first, and a DS reference back to it would make activation circular.
     */
    private static Supplier<ImageUsage> usageLookup(BundleContext context) {
        return () -> {
            ServiceReference<ImageUsage> ref = context.getServiceReference(ImageUsage.class);
            ImageUsage u = ref == null ? null : context.getService(ref);
            if (u == null) {
                return ImageUsage.NONE;
            }
            context.ungetService(ref);
            return u;
        };
    }

    ImageServiceComponent(EngineConfig config, ActiveStorage storage, Supplier<ImageUsage> currentUsage) {
        this.opening = CompletableFuture.supplyAsync(() -> {
            ImageStore store = new ImageStore(Path.of(config.data_root()).resolve("tmp"), storage, currentUsage);
            try {
                store.open();
            } catch (IOException e) {
                throw EngineException.system("opening the image store failed: " + e.getMessage(), e);
            }
            return store;
        }, runnable -> {
            Thread t = new Thread(runnable, "keel-image-store-open");
            t.setDaemon(true);
            t.start();
        });
    }

    private ImageStore store() {
        try {
            return opening.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw EngineException.system("opening the image store failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public List<ImageSummary> list(boolean all, Map<String, List<String>> filters) {
        return store().list(all, filters);
    }

    @Override
    public ImageDetails inspect(String name) {
        return store().inspect(name);
    }

    @Override
    public List<HistoryEntry> history(String name) {
        return store().history(name);
    }

    @Override
    public void tag(String source, String repository, String tag) {
        store().tag(source, repository, tag);
    }

    @Override
    public List<DeleteItem> remove(String name, boolean force, boolean noPrune) {
        return store().remove(name, force, noPrune);
    }

    @Override
    public PruneReport prune(Map<String, List<String>> filters) {
        return store().prune(filters);
    }

    @Override
    public List<String> load(InputStream archive, ProgressListener progress) {
        return store().load(archive, progress);
    }

    @Override
    public void save(List<String> names, OutputStream out) {
        store().save(names, out);
    }

    @Override
    public String importImage(InputStream rootfs, ImportOptions options, ProgressListener progress) {
        return store().importImage(rootfs, options, progress);
    }

    @Override
    public LocalImage resolve(String name) {
        return store().resolve(name);
    }

    @Override
    public void pin(String imageId, String containerId) {
        store().pin(imageId, containerId);
    }

    @Override
    public void unpin(String imageId, String containerId) {
        store().unpin(imageId, containerId);
    }

    @Override
    public ContainerLayer createContainerLayer(String containerId, String imageId) {
        return store().createContainerLayer(containerId, imageId);
    }

    @Override
    public ContainerLayer containerLayer(String containerId) {
        return store().containerLayer(containerId);
    }

    @Override
    public ContainerLayer createContainerLayer(String containerId, String imageId, boolean ephemeral) {
        return store().createContainerLayer(containerId, imageId, ephemeral);
    }

    @Override
    public java.util.Set<String> containerLayerOwners() {
        return store().containerLayerOwners();
    }

    @Override
    public Runnable detachContainerLayer(String containerId) {
        return store().detachContainerLayer(containerId);
    }

    @Override
    public void removeContainerLayer(String containerId) {
        store().removeContainerLayer(containerId);
    }
}
