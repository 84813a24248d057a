package keel.engine.api.storage;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A driver's store of layers under one home directory. Layer ids are chosen by the engine (64 hex digits) and are
 * opaque to the driver. A layer is either an image layer (made by {@link #applyDiff}, never changed afterwards) or a
 * container's read-write layer (made by {@link #createReadWrite}). Every layer but a base layer has a parent, which
 * the store records itself.
 *
 * <p>{@link #close()} releases what the store holds in memory but leaves mounted layers mounted: they are the root
 * filesystems of containers that keep running while the daemon restarts or the driver is swapped, and a store
 * opened later on the same home takes them over (they count as mounted once).
 *
 * <p>Every method that creates something is all-or-nothing: when it throws, no layer of that id remains, so a
 * failed load or a crash never leaves a half layer that a later call could mistake for a whole one.
 */
@ConsumerType
public interface LayerStore extends Closeable {

    /** Key/value pairs for {@code docker info}'s DriverStatus, e.g. {@code ["Backing Filesystem", "extfs"]}. */
    List<String[]> status();

    /** Whether a whole layer of this id exists. */
    boolean exists(String id);

    /** Ids of every whole layer in the store; the engine uses it to reconcile its records after a crash. */
    Set<String> ids() throws IOException;

    /**
     * Creates image layer {@code id} on top of {@code parent} (null for a base layer) from an uncompressed tar
     * diff in the OCI layer format ({@code .wh.} whiteouts, {@code .wh..wh..opq} opaque directories).
     *
     * @return the size in bytes of the layer's own content
     */
    long applyDiff(String id, String parent, InputStream diff) throws IOException;

    /** Creates an empty read-write layer for a container on top of {@code parent} (null for an empty rootfs). */
    void createReadWrite(String id, String parent) throws IOException;

    /**
     * Creates a read-write layer as {@link #createReadWrite} does, for a container whose layer need not survive a
     * crash: one started with {@code --rm}, which the engine removes, whatever state it finds it in, at its next
     * start. The driver may leave out what makes a layer durable (flushes when it is made, when it is unmounted).
     * It stays all-or-nothing for a crash of the daemon alone; after a power cut the layer may be missing, whole,
     * or half made, and then the driver's own recovery must remove it or report it (as for any half layer).
     *
     * <p>The default makes an ordinary, durable layer.
     *
     * @since 1.1
     */
    default void createEphemeral(String id, String parent) throws IOException {
        createReadWrite(id, parent);
    }

    /**
     * Mounts layer {@code id} with all its parents and returns the directory that shows the merged tree. Mounts are
     * counted: each call needs one {@link #unmount} and the tree stays mounted until the last.
     */
    Path mount(String id) throws IOException;

    /** Releases one {@link #mount} of layer {@code id}. */
    void unmount(String id) throws IOException;

    /**
     * Writes the changes of layer {@code id} against its parent as an uncompressed tar in the OCI layer format:
     * for an image layer the diff it was made from (up to entry order), for a read-write layer what the container
     * changed.
     */
    void writeDiff(String id, OutputStream out) throws IOException;

    /** Size in bytes of the layer's own content (not its parents'). */
    long size(String id) throws IOException;

    /** Removes layer {@code id}; removing a layer that does not exist is not an error. */
    void remove(String id) throws IOException;
}
