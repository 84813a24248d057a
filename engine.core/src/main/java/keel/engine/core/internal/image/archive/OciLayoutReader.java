package keel.engine.core.internal.image.archive;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import keel.engine.api.errors.EngineException;
import keel.engine.core.internal.image.layer.Digests;
import keel.engine.core.internal.image.reference.Reference;

/**
 * Reads the images of an OCI image layout ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/...}):
 * each manifest the index names, through nested indexes to the manifest for this host's platform. Every blob read
 * is checked against its descriptor's digest and size (layers by the caller, while it streams them). Names come
 * from the {@code io.containerd.image.name} annotation, else from {@code org.opencontainers.image.ref.name} when
 * that is a whole reference and not just a tag (as Docker does).
 */
public final class OciLayoutReader {

    public static final String LAYOUT = "oci-layout";
    public static final String INDEX = "index.json";
    public static final String ANNOTATION_IMAGE_NAME = "io.containerd.image.name";
    public static final String ANNOTATION_REF_NAME = "org.opencontainers.image.ref.name";

    public static final String MEDIA_OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String MEDIA_OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String MEDIA_OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String MEDIA_OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
    static final String MEDIA_DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String MEDIA_DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String MEDIA_DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";

    private static final Set<String> INDEXES = Set.of(MEDIA_OCI_INDEX, MEDIA_DOCKER_LIST);
    private static final Set<String> MANIFESTS = Set.of(MEDIA_OCI_MANIFEST, MEDIA_DOCKER_MANIFEST);
    private static final Set<String> CONFIGS = Set.of(MEDIA_OCI_CONFIG, MEDIA_DOCKER_CONFIG);
    private static final Set<String> LAYERS = Set.of(MEDIA_OCI_LAYER, MEDIA_OCI_LAYER + "+gzip",
            "application/vnd.oci.image.layer.nondistributable.v1.tar",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
            "application/vnd.docker.image.rootfs.diff.tar", "application/vnd.docker.image.rootfs.diff.tar.gzip",
            "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip");
    private static final int MAX_NESTING = 4;

    private final ArchiveSpool spool;
    private final Platform platform;

    private OciLayoutReader(ArchiveSpool spool, Platform platform) {
        this.spool = spool;
        this.platform = platform;
    }

    /** Whether the spool holds an OCI image layout. */
    public static boolean isLayout(ArchiveSpool spool) {
        return spool.hasFile(INDEX) && spool.hasFile(LAYOUT);
    }

    public static List<ArchivedImage> read(ArchiveSpool spool, Platform platform) throws IOException {
        return new OciLayoutReader(spool, platform).read();
    }

    private List<ArchivedImage> read() throws IOException {
        JsonNode layout = DockerArchiveReader.json(spool.read(LAYOUT, 4096), LAYOUT);
        if (!layout.path("imageLayoutVersion").isTextual()) {
            throw new BadArchiveException("invalid OCI layout: oci-layout has no imageLayoutVersion");
        }
        JsonNode index = DockerArchiveReader.json(spool.read(INDEX, DockerArchiveReader.MAX_JSON), INDEX);
        // Several index entries may name the same manifest (one per tag, as docker save writes them).
        Map<String, ArchivedImage> byManifest = new LinkedHashMap<>();
        boolean skipped = false;
        for (JsonNode desc : index.path("manifests")) {
            Manifest manifest = resolveToManifest(desc, 0);
            if (manifest == null) {
                skipped = true;
                continue;
            }
            String key = manifest.digest();
            ArchivedImage image = byManifest.get(key);
            if (image == null) {
                image = image(manifest.json());
                if (image == null) {
                    continue;
                }
            }
            Reference name = name(desc.path("annotations"));
            if (name != null && !image.tags().contains(name)) {
                List<Reference> tags = new ArrayList<>(image.tags());
                tags.add(name);
                image = new ArchivedImage(image.config(), image.layers(), List.copyOf(tags), null);
            }
            byManifest.put(key, image);
        }
        if (byManifest.isEmpty()) {
            if (skipped) {
                throw new BadArchiveException("no matching manifest for " + platform + " in the manifest list entries");
            }
            throw new BadArchiveException("invalid OCI layout: index.json names no image manifest");
        }
        return new ArrayList<>(byManifest.values());
    }

    /** A manifest blob and its digest. */
    private record Manifest(String digest, JsonNode json) {}

    /** The manifest a descriptor leads to for this platform, or null when it is for another platform. */
    private Manifest resolveToManifest(JsonNode desc, int depth) throws IOException {
        if (depth > MAX_NESTING) {
            throw new BadArchiveException("invalid OCI layout: indexes nested too deep");
        }
        JsonNode platformNode = desc.get("platform");
        if (platformNode != null && platformNode.isObject() && !platform.matches(platformNode)) {
            return null;
        }
        String digest = desc.path("digest").asText();
        JsonNode blob = DockerArchiveReader.json(blob(desc, DockerArchiveReader.MAX_JSON), "blob " + digest);
        String mediaType = desc.path("mediaType").asText(blob.path("mediaType").asText(""));
        boolean isIndex = INDEXES.contains(mediaType) || (mediaType.isEmpty() && blob.has("manifests"));
        if (isIndex) {
            boolean skipped = false;
            for (JsonNode child : blob.path("manifests")) {
                if (isAttestation(child)) {
                    continue;
                }
                Manifest m = resolveToManifest(child, depth + 1);
                if (m != null) {
                    return m;
                }
                skipped = true;
            }
            if (skipped) {
                throw new BadArchiveException("no matching manifest for " + platform + " in the manifest list entries");
            }
            throw new BadArchiveException("invalid OCI layout: index " + digest + " names no manifest");
        }
        if (!MANIFESTS.contains(mediaType) && !(mediaType.isEmpty() && blob.has("config"))) {
            throw new BadArchiveException("unsupported manifest media type " + mediaType);
        }
        return new Manifest(digest, blob);
    }

    private static boolean isAttestation(JsonNode desc) {
        return "attestation-manifest".equals(desc.path("annotations").path("vnd.docker.reference.type").asText())
                || "unknown".equals(desc.path("platform").path("os").asText());
    }

    /** The image of a manifest; null when the manifest is not an image (an artifact). */
    private ArchivedImage image(JsonNode manifest) throws IOException {
        JsonNode configDesc = manifest.path("config");
        String configType = configDesc.path("mediaType").asText("");
        if (!CONFIGS.contains(configType)) {
            if (configType.isEmpty()) {
                throw new BadArchiveException("invalid OCI layout: manifest has no config");
            }
            return null;
        }
        byte[] config = blob(configDesc, DockerArchiveReader.MAX_JSON);
        List<ArchivedImage.Layer> layers = new ArrayList<>();
        for (JsonNode l : manifest.path("layers")) {
            String mt = l.path("mediaType").asText("");
            if (mt.endsWith("+zstd") || mt.endsWith(".zstd")) {
                throw new Compression.UnsupportedCompressionException("layer " + l.path("digest").asText()
                        + " is zstd-compressed (" + mt + "), which is not supported");
            }
            if (!LAYERS.contains(mt)) {
                throw new BadArchiveException("unsupported layer media type " + mt);
            }
            String digest = checkedDigest(l);
            Path file = spool.file("blobs/sha256/" + Digests.hex(digest));
            layers.add(new ArchivedImage.Layer(file, digest, l.path("size").asLong(-1)));
        }
        return new ArchivedImage(config, layers, List.of(), null);
    }

    /** Reads a small blob and verifies its digest and size. */
    private byte[] blob(JsonNode desc, int max) throws IOException {
        String digest = checkedDigest(desc);
        byte[] data = spool.read("blobs/sha256/" + Digests.hex(digest), max);
        if (!Digests.of(data).equals(digest)) {
            throw new BadArchiveException("invalid OCI layout: blob " + digest + " does not match its digest (got "
                    + Digests.of(data) + ")");
        }
        if (desc.has("size") && desc.get("size").asLong() != data.length) {
            throw new BadArchiveException("invalid OCI layout: blob " + digest + " has " + data.length
                    + " bytes, its descriptor says " + desc.get("size").asLong());
        }
        return data;
    }

    private static String checkedDigest(JsonNode desc) throws BadArchiveException {
        String digest = desc.path("digest").asText("");
        if (Digests.isSha256(digest)) {
            return digest;
        }
        if (digest.contains(":") && !digest.startsWith("sha256:")) {
            throw new BadArchiveException("unsupported digest algorithm in " + digest);
        }
        throw new BadArchiveException("invalid OCI layout: invalid digest \"" + digest + "\"");
    }

    /** The name Docker gives an image of an OCI layout, or null. */
    static Reference name(JsonNode annotations) throws BadArchiveException {
        String full = annotations.path(ANNOTATION_IMAGE_NAME).asText("");
        if (!full.isEmpty()) {
            try {
                Reference r = Reference.parseNormalized(full);
                return r.isTagged() && r.digest() == null ? r : null;
            } catch (EngineException e) {
                throw new BadArchiveException("invalid image name \"" + full + "\": " + e.getMessage());
            }
        }
        String ref = annotations.path(ANNOTATION_REF_NAME).asText("");
        // Only a tag ("latest") says nothing about the repository: Docker ignores it.
        if (ref.isEmpty() || (!ref.contains(":") && !ref.contains("/"))) {
            return null;
        }
        try {
            Reference r = Reference.parseNormalized(ref);
            return r.isTagged() && r.digest() == null ? r : null;
        } catch (EngineException e) {
            return null;
        }
    }
}
