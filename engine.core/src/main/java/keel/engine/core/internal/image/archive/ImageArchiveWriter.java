package keel.engine.core.internal.image.archive;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import keel.engine.core.internal.image.layer.Digests;
import keel.engine.core.internal.image.reference.Reference;

/**
 * Writes {@code docker save}'s archive as Docker 25+ does: one tar that is both an OCI image layout
 * ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/...} with OCI manifests and uncompressed layers)
 * and a Docker archive ({@code manifest.json} pointing into the same blobs), so both {@code docker load} and OCI
 * tools read it. The tar is streamed: every size and digest is known from the store before the first byte, layers
 * are produced one after the other straight into the output, and each is checked against its DiffID as it passes.
 */
public final class ImageArchiveWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Produces a layer's uncompressed tar. */
    @FunctionalInterface
    public interface LayerContent {
        void writeTo(OutputStream out) throws IOException;
    }

    /** A layer to save: its DiffID, the length of its tar, and how to produce it. */
    public record SavedLayer(String diffId, long length, LayerContent content) {}

    /** An image to save with the tags to record for it (none when it was named by ID). */
    public record SavedImage(String id, byte[] config, Platform platform, List<SavedLayer> layers,
            List<Reference> tags) {}

    private ImageArchiveWriter() {}

    public static void write(List<SavedImage> images, OutputStream target) throws IOException {
        // Blobs in digest order, as Docker's tar of its export directory has them.
        TreeMap<String, Object> blobs = new TreeMap<>();
        ArrayNode manifestJson = JSON.createArrayNode();
        ArrayNode indexManifests = JSON.createArrayNode();
        for (SavedImage image : images) {
            blobs.put(Digests.hex(image.id()), image.config());
            ObjectNode manifest = JSON.createObjectNode();
            manifest.put("schemaVersion", 2);
            manifest.put("mediaType", OciLayoutReader.MEDIA_OCI_MANIFEST);
            ObjectNode config = manifest.putObject("config");
            config.put("mediaType", OciLayoutReader.MEDIA_OCI_CONFIG);
            config.put("digest", image.id());
            config.put("size", image.config().length);
            ArrayNode layers = manifest.putArray("layers");
            List<String> layerPaths = new ArrayList<>();
            for (SavedLayer l : image.layers()) {
                ObjectNode d = layers.addObject();
                d.put("mediaType", OciLayoutReader.MEDIA_OCI_LAYER);
                d.put("digest", l.diffId());
                d.put("size", l.length());
                blobs.putIfAbsent(Digests.hex(l.diffId()), l);
                layerPaths.add("blobs/sha256/" + Digests.hex(l.diffId()));
            }
            byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
            String manifestDigest = Digests.of(manifestBytes);
            blobs.put(Digests.hex(manifestDigest), manifestBytes);

            ObjectNode entry = manifestJson.addObject();
            entry.put("Config", "blobs/sha256/" + Digests.hex(image.id()));
            if (image.tags().isEmpty()) {
                entry.putNull("RepoTags");
            } else {
                ArrayNode tags = entry.putArray("RepoTags");
                image.tags().forEach(t -> tags.add(t.familiarString()));
            }
            ArrayNode lp = entry.putArray("Layers");
            layerPaths.forEach(lp::add);

            List<Map<String, String>> annotationSets = new ArrayList<>();
            for (Reference t : image.tags()) {
                Map<String, String> a = new LinkedHashMap<>();
                a.put(OciLayoutReader.ANNOTATION_IMAGE_NAME, t.toString());
                a.put(OciLayoutReader.ANNOTATION_REF_NAME, t.tag());
                annotationSets.add(a);
            }
            if (annotationSets.isEmpty()) {
                annotationSets.add(null);
            }
            for (Map<String, String> a : annotationSets) {
                ObjectNode d = indexManifests.addObject();
                d.put("mediaType", OciLayoutReader.MEDIA_OCI_MANIFEST);
                d.put("digest", manifestDigest);
                d.put("size", manifestBytes.length);
                if (a != null) {
                    ObjectNode an = d.putObject("annotations");
                    a.forEach(an::put);
                }
                ObjectNode p = d.putObject("platform");
                p.put("architecture", image.platform().architecture());
                p.put("os", image.platform().os());
                if (image.platform().variant() != null && !image.platform().variant().isEmpty()) {
                    p.put("variant", image.platform().variant());
                }
            }
        }
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", OciLayoutReader.MEDIA_OCI_INDEX);
        index.set("manifests", indexManifests);

        TarArchiveOutputStream tar = new TarArchiveOutputStream(new Unclosable(target), 64 * 1024);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        directory(tar, "blobs/");
        directory(tar, "blobs/sha256/");
        for (Map.Entry<String, Object> b : blobs.entrySet()) {
            String name = "blobs/sha256/" + b.getKey();
            if (b.getValue() instanceof byte[] bytes) {
                file(tar, name, bytes);
            } else {
                layer(tar, name, (SavedLayer) b.getValue());
            }
        }
        file(tar, OciLayoutReader.INDEX, JSON.writeValueAsBytes(index));
        file(tar, DockerArchiveReader.MANIFEST, (JSON.writeValueAsString(manifestJson) + "\n")
                .getBytes(StandardCharsets.UTF_8));
        file(tar, OciLayoutReader.LAYOUT, "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        tar.finish();
        tar.flush();
    }

    private static void layer(TarArchiveOutputStream tar, String name, SavedLayer layer) throws IOException {
        TarArchiveEntry e = entry(name, layer.length());
        tar.putArchiveEntry(e);
        MessageDigest digest = Digests.sha256();
        CountingDigestStream out = new CountingDigestStream(tar, digest);
        layer.content().writeTo(out);
        if (out.count != layer.length()) {
            throw new IOException("layer " + layer.diffId() + " produced " + out.count + " bytes, expected "
                    + layer.length() + "; the archive is incomplete");
        }
        String actual = Digests.of(digest);
        if (!actual.equals(layer.diffId())) {
            throw new IOException("layer " + layer.diffId() + " does not match its DiffID (rebuilt as " + actual
                    + "); the archive is incomplete");
        }
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] data) throws IOException {
        tar.putArchiveEntry(entry(name, data.length));
        tar.write(data);
        tar.closeArchiveEntry();
    }

    private static void directory(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(040755);
        e.setModTime(0);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private static TarArchiveEntry entry(String name, long size) {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(0100644);
        e.setSize(size);
        e.setModTime(0);
        return e;
    }

    /** Counts and digests what a layer writes, and refuses to overrun the size in its header. */
    private static final class CountingDigestStream extends FilterOutputStream {
        private final MessageDigest digest;
        long count;

        CountingDigestStream(OutputStream out, MessageDigest digest) {
            super(out);
            this.digest = digest;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            digest.update(b, off, len);
            count += len;
            out.write(b, off, len);
        }

        @Override
        public void close() {
            // the tar entry is closed by the writer
        }
    }

    /** Keeps the caller's stream open when the tar is finished. */
    private static final class Unclosable extends FilterOutputStream {
        Unclosable(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
