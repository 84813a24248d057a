package keel.engine.api.image;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The engine's images, content-addressed as the OCI image spec defines it: an image's ID is the sha256 digest of
 * its config, its layers are known by DiffID and ChainID. Names are Docker references ({@code busybox},
 * {@code busybox:1.36}, {@code registry:5000/team/app@sha256:...}) or IDs, full or as an unambiguous prefix.
 *
 * <p>Failures are {@link keel.engine.api.errors.EngineException}s with Docker's error kinds.
 */
@ProviderType
public interface ImageService {

    /** {@code GET /images/json}: filters are Docker's (dangling, label, before, since, reference, until). */
    List<ImageSummary> list(boolean all, Map<String, List<String>> filters);

    /** {@code GET /images/{name}/json}. */
    ImageDetails inspect(String name);

    /** {@code GET /images/{name}/history}, newest first. */
    List<HistoryEntry> history(String name);

    /** {@code POST /images/{name}/tag}; an empty tag means {@code latest}. */
    void tag(String source, String repository, String tag);

    /**
     * {@code DELETE /images/{name}}: untags a name, and deletes the image when no name is left. Refused with a
     * conflict while a container uses the image unless {@code force}.
     */
    List<DeleteItem> remove(String name, boolean force, boolean noPrune);

    /** {@code POST /images/prune}: dangling images, or every unused image with {@code dangling=false}. */
    PruneReport prune(Map<String, List<String>> filters);

    /**
     * {@code POST /images/load}: a {@code docker save} tarball (manifest.json) or an OCI image layout
     * (index.json). All or nothing: on any error no image of the archive is registered.
     *
     * @return the lines Docker prints, e.g. {@code Loaded image: busybox:latest}
     */
    List<String> load(InputStream archive, ProgressListener progress);

    /** {@code GET /images/get}: writes a tar holding both an OCI image layout and Docker's manifest.json. */
    void save(List<String> names, OutputStream out);

    /**
     * {@code POST /images/create?fromSrc=-}: makes a one-layer image from a rootfs tarball (plain, gzip, bzip2 or
     * xz), applying Dockerfile-style changes (CMD, ENTRYPOINT, ENV, WORKDIR, ...).
     *
     * @return the new image's ID ({@code sha256:...})
     */
    String importImage(InputStream rootfs, ImportOptions options, ProgressListener progress);
}
