package keel.engine.core.internal.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds test images without a registry: a busybox rootfs from Debian's static busybox ({@code /usr/bin/busybox},
 * package busybox-static) with its applet symlinks, image configs, and the two archive formats {@code docker load}
 * reads — a {@code docker save} tar (manifest.json; legacy {@code <id>/layer.tar} or Docker 25's {@code blobs/}
 * layout) and an OCI image layout tar. Digests are computed here with {@link MessageDigest} directly, independently
 * of the engine's code, so tests can check the engine's IDs against them.
 */
public final class TestImages {

    public static final Path BUSYBOX = Path.of("/usr/bin/busybox");
    /** Fixed so that the fixture's IDs are stable from run to run. */
    public static final String CREATED = "2024-05-01T12:00:00.123456789Z";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestImages() {}

    /** An image: its config bytes and its uncompressed layer tars, base first. */
    public record Image(byte[] config, List<byte[]> layers) {
        /** {@code sha256:} of the config bytes. */
        public String id() {
            return sha256(config);
        }

        public List<String> diffIds() {
            List<String> out = new ArrayList<>();
            layers.forEach(l -> out.add(sha256(l)));
            return out;
        }
    }

    /** An image of an archive and the names to record for it. */
    public record Named(Image image, List<String> repoTags) {
        public Named(Image image, String... tags) {
            this(image, List.of(tags));
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Layers

    /** Writes a layer tar with commons-compress (GNU long names, PAX for big numbers). */
    public static byte[] tar(Consumer<TarArchiveOutputStream> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            entries.accept(tar);
            tar.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static void dir(TarArchiveOutputStream tar, String name) {
        TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
        e.setMode(040755);
        e.setModTime(1_700_000_000_000L);
        put(tar, e, null);
    }

    public static void file(TarArchiveOutputStream tar, String name, int mode, byte[] content) {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(0100000 | mode);
        e.setSize(content.length);
        e.setModTime(1_700_000_000_000L);
        put(tar, e, content);
    }

    public static void symlink(TarArchiveOutputStream tar, String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
        e.setLinkName(target);
        e.setMode(0120777);
        e.setModTime(1_700_000_000_000L);
        put(tar, e, null);
    }

    public static void hardlink(TarArchiveOutputStream tar, String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK);
        e.setLinkName(target);
        e.setMode(0100755);
        e.setModTime(1_700_000_000_000L);
        put(tar, e, null);
    }

    private static void put(TarArchiveOutputStream tar, TarArchiveEntry e, byte[] content) {
        try {
            tar.putArchiveEntry(e);
            if (content != null) {
                tar.write(content);
            }
            tar.closeArchiveEntry();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** A busybox rootfs: {@code bin/busybox} (the static binary) and applet symlinks, plus a few files. */
    public static byte[] busyboxRootfs() {
        byte[] busybox = read(BUSYBOX);
        return tar(t -> {
            dir(t, "bin");
            file(t, "bin/busybox", 0755, busybox);
            for (String applet : List.of("sh", "ls", "cat", "echo", "true", "sleep")) {
                symlink(t, "bin/" + applet, "busybox");
            }
            dir(t, "etc");
            file(t, "etc/passwd", 0644, "root:x:0:0:root:/root:/bin/sh\n".getBytes(StandardCharsets.UTF_8));
            file(t, "etc/group", 0644, "root:x:0:\n".getBytes(StandardCharsets.UTF_8));
            dir(t, "tmp");
            dir(t, "root");
        });
    }

    /** A second layer: a new file, a changed file, a hardlink, a long name, and a whiteout of {@code bin/true}. */
    public static byte[] appLayer(String content) {
        return tar(t -> {
            dir(t, "app");
            file(t, "app/hello.txt", 0644, content.getBytes(StandardCharsets.UTF_8));
            hardlink(t, "app/hello-link.txt", "app/hello.txt");
            file(t, "app/" + "n".repeat(120) + "/deep.txt", 0644, "a long name\n".getBytes(StandardCharsets.UTF_8));
            file(t, "etc/passwd", 0644, "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/app:/bin/sh\n"
                    .getBytes(StandardCharsets.UTF_8));
            file(t, "bin/.wh.true", 0644, new byte[0]);
        });
    }

    // ------------------------------------------------------------------------------------------------------------
    // Images

    /** The busybox image: one layer, {@code CMD ["sh"]}. */
    public static Image busybox() {
        byte[] layer = busyboxRootfs();
        return new Image(config(List.of(sha256(layer)), List.of("sh"), Map.of(), CREATED,
                List.of("ADD busybox / # buildkit")), List.of(layer));
    }

    /** busybox plus {@link #appLayer} with {@code content}; labels as given. */
    public static Image app(String content, Map<String, String> labels, String created) {
        byte[] base = busyboxRootfs();
        byte[] app = appLayer(content);
        return new Image(config(List.of(sha256(base), sha256(app)), List.of("cat", "/app/hello.txt"), labels, created,
                List.of("ADD busybox / # buildkit", "COPY app /app # buildkit")), List.of(base, app));
    }

    /**
     * A config as BuildKit writes one: architecture of this host, os linux, an empty-layer history step for the
     * CMD, one step per layer.
     */
    public static byte[] config(List<String> diffIds, List<String> cmd, Map<String, String> labels, String created,
            List<String> layerSteps) {
        ObjectNode c = JSON.createObjectNode();
        c.put("architecture", hostArch());
        ObjectNode cfg = c.putObject("config");
        cfg.putArray("Env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        ArrayNode cmdNode = cfg.putArray("Cmd");
        cmd.forEach(cmdNode::add);
        if (!labels.isEmpty()) {
            ObjectNode l = cfg.putObject("Labels");
            labels.forEach(l::put);
        }
        c.put("created", created);
        ArrayNode history = c.putArray("history");
        for (String step : layerSteps) {
            ObjectNode h = history.addObject();
            h.put("created", created);
            h.put("created_by", step);
        }
        ObjectNode cmdStep = history.addObject();
        cmdStep.put("created", created);
        cmdStep.put("created_by", "CMD " + cmd + " # buildkit");
        cmdStep.put("empty_layer", true);
        c.put("os", "linux");
        ObjectNode rootfs = c.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode d = rootfs.putArray("diff_ids");
        diffIds.forEach(d::add);
        try {
            return JSON.writeValueAsBytes(c);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String hostArch() {
        String a = System.getProperty("os.arch");
        return a.equals("amd64") || a.equals("x86_64") ? "amd64" : a.equals("aarch64") ? "arm64" : a;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Archives

    /**
     * A {@code docker save} archive. With {@code blobsLayout} as Docker 25+ writes it (files under
     * {@code blobs/sha256/}), otherwise as Docker up to 24 ({@code <hex>.json}, {@code <id>/layer.tar}).
     */
    public static byte[] dockerArchive(List<Named> images, boolean blobsLayout, boolean gzipLayers) {
        return tar(t -> {
            ArrayNode manifest = JSON.createArrayNode();
            Map<String, byte[]> files = new LinkedHashMap<>();
            for (Named n : images) {
                ObjectNode m = manifest.addObject();
                String configHex = hex(n.image().id());
                String configPath = blobsLayout ? "blobs/sha256/" + configHex : configHex + ".json";
                files.put(configPath, n.image().config());
                m.put("Config", configPath);
                ArrayNode tags = m.putArray("RepoTags");
                n.repoTags().forEach(tags::add);
                ArrayNode layers = m.putArray("Layers");
                for (byte[] layer : n.image().layers()) {
                    byte[] stored = gzipLayers ? gzip(layer) : layer;
                    String path = blobsLayout ? "blobs/sha256/" + hex(sha256(stored))
                            : hex(sha256(layer)).substring(0, 40) + "0".repeat(24) + "/layer.tar";
                    files.put(path, stored);
                    layers.add(path);
                }
            }
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                file(t, f.getKey(), 0644, f.getValue());
            }
            file(t, "manifest.json", 0644, json(manifest));
        });
    }

    /** An OCI image layout of one image; {@code annotations} go on its index entry. */
    public static byte[] ociArchive(Image image, Map<String, String> annotations, boolean gzipLayers) {
        return tar(t -> {
            Map<String, byte[]> blobs = new LinkedHashMap<>();
            ObjectNode manifest = JSON.createObjectNode();
            manifest.put("schemaVersion", 2);
            manifest.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
            ObjectNode config = manifest.putObject("config");
            config.put("mediaType", "application/vnd.oci.image.config.v1+json");
            config.put("digest", image.id());
            config.put("size", image.config().length);
            blobs.put(image.id(), image.config());
            ArrayNode layers = manifest.putArray("layers");
            for (byte[] layer : image.layers()) {
                byte[] stored = gzipLayers ? gzip(layer) : layer;
                ObjectNode l = layers.addObject();
                l.put("mediaType", "application/vnd.oci.image.layer.v1.tar" + (gzipLayers ? "+gzip" : ""));
                l.put("digest", sha256(stored));
                l.put("size", stored.length);
                blobs.put(sha256(stored), stored);
            }
            byte[] manifestBytes = json(manifest);
            blobs.put(sha256(manifestBytes), manifestBytes);
            ObjectNode index = JSON.createObjectNode();
            index.put("schemaVersion", 2);
            index.put("mediaType", "application/vnd.oci.image.index.v1+json");
            ObjectNode d = index.putArray("manifests").addObject();
            d.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
            d.put("digest", sha256(manifestBytes));
            d.put("size", manifestBytes.length);
            if (!annotations.isEmpty()) {
                ObjectNode a = d.putObject("annotations");
                annotations.forEach(a::put);
            }
            file(t, "oci-layout", 0644, "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
            file(t, "index.json", 0644, json(index));
            for (Map.Entry<String, byte[]> b : blobs.entrySet()) {
                file(t, "blobs/sha256/" + hex(b.getKey()), 0644, b.getValue());
            }
        });
    }

    // ------------------------------------------------------------------------------------------------------------
    // Bytes

    public static String sha256(byte[] data) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String hex(String digest) {
        return digest.substring("sha256:".length());
    }

    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] json(Object node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
