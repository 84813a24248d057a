package keel.itest.felix;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A one-layer image in {@code docker save} format, written by the test itself (not by Keel) so that what Keel
 * computes can be checked against independently computed digests.
 */
final class TinyImage {
    static final String TAG = "tiny:latest";

    private TinyImage() {}

    /** Writes the archive and returns the image ID it must load as ({@code sha256:} of the config bytes). */
    static String write(Path archive) throws IOException {
        byte[] layer = tar(out -> entry(out, "hello.txt", "hello from a hot-swapped driver\n"));
        String diffId = "sha256:" + sha256(layer);
        String config = "{\"architecture\":\"amd64\",\"config\":{\"Cmd\":[\"/hello.txt\"]},"
                + "\"created\":\"2026-01-01T00:00:00Z\",\"history\":[{\"created\":\"2026-01-01T00:00:00Z\","
                + "\"created_by\":\"keel itest\"}],\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[\"" + diffId + "\"]}}";
        byte[] configBytes = config.getBytes(StandardCharsets.UTF_8);
        String configHex = sha256(configBytes);
        String layerDir = sha256(layer);
        String manifest = "[{\"Config\":\"" + configHex + ".json\",\"RepoTags\":[\"" + TAG + "\"],\"Layers\":[\""
                + layerDir + "/layer.tar\"]}]";
        byte[] archiveBytes = tar(out -> {
            entry(out, configHex + ".json", configBytes);
            entry(out, layerDir + "/layer.tar", layer);
            entry(out, "manifest.json", manifest.getBytes(StandardCharsets.UTF_8));
        });
        Files.write(archive, archiveBytes);
        return "sha256:" + configHex;
    }

    interface Writer {
        void write(TarArchiveOutputStream out) throws IOException;
    }

    private static byte[] tar(Writer w) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            w.write(out);
        }
        return bytes.toByteArray();
    }

    private static void entry(TarArchiveOutputStream out, String name, String content) throws IOException {
        entry(out, name, content.getBytes(StandardCharsets.UTF_8));
    }

    private static void entry(TarArchiveOutputStream out, String name, byte[] content) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(content.length);
        e.setMode(0644);
        e.setModTime(1767225600000L);
        out.putArchiveEntry(e);
        out.write(content);
        out.closeArchiveEntry();
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void copy(Path from, OutputStream to) throws IOException {
        Files.copy(from, to);
    }
}
