package keel.engine.core.internal.image.archive;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import keel.engine.api.errors.EngineException;
import keel.engine.core.internal.image.layer.Digests;
import keel.engine.core.internal.image.reference.Reference;

/**
 * Reads the images of a {@code docker save} archive from its {@code manifest.json}:
 * {@code [{"Config": ..., "RepoTags": [...], "Layers": [...]}]}. Layer paths are {@code <id>/layer.tar} (Docker up
 * to 24) or {@code blobs/sha256/<hex>} (Docker 25+, skopeo); a file under {@code blobs/sha256/} is verified
 * against its name.
 */
public final class DockerArchiveReader {

    public static final String MANIFEST = "manifest.json";
    static final int MAX_JSON = 16 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private DockerArchiveReader() {}

    public static List<ArchivedImage> read(ArchiveSpool spool) throws IOException {
        JsonNode manifest = json(spool.read(MANIFEST, MAX_JSON), MANIFEST);
        if (manifest.isNull()) {
            throw new BadArchiveException("invalid manifest, manifest cannot be null (but can be [])");
        }
        if (!manifest.isArray()) {
            throw new BadArchiveException("invalid manifest: not a JSON array");
        }
        List<ArchivedImage> images = new ArrayList<>();
        for (JsonNode m : manifest) {
            String configPath = m.path("Config").asText("");
            if (configPath.isEmpty()) {
                throw new BadArchiveException("invalid manifest: an entry has no Config");
            }
            byte[] config = spool.read(configPath, MAX_JSON);
            String named = addressedDigest(configPath);
            if (named != null && !Digests.of(config).equals(named)) {
                throw new BadArchiveException("invalid archive: config " + configPath + " does not match its digest "
                        + "(got " + Digests.of(config) + ")");
            }
            List<ArchivedImage.Layer> layers = new ArrayList<>();
            for (JsonNode l : m.path("Layers")) {
                String path = l.asText();
                layers.add(new ArchivedImage.Layer(spool.file(path), addressedDigest(path), -1));
            }
            List<Reference> tags = new ArrayList<>();
            for (JsonNode t : m.path("RepoTags")) {
                Reference ref;
                try {
                    ref = Reference.parseNormalized(t.asText());
                } catch (EngineException e) {
                    throw new BadArchiveException("invalid tag \"" + t.asText() + "\": " + e.getMessage());
                }
                if (!ref.isTagged() || ref.digest() != null) {
                    throw new BadArchiveException("invalid tag \"" + t.asText() + "\"");
                }
                tags.add(ref);
            }
            String parent = m.path("Parent").asText("");
            images.add(new ArchivedImage(config, layers, tags, Digests.isSha256(parent) ? parent : null));
        }
        return images;
    }

    /** The digest a content-addressed path names ({@code blobs/sha256/<hex>}), or null. */
    static String addressedDigest(String path) {
        String p = path.startsWith("./") ? path.substring(2) : path;
        if (p.startsWith("blobs/sha256/")) {
            String hex = p.substring("blobs/sha256/".length());
            if (Digests.isHex64(hex)) {
                return Digests.SHA256 + hex;
            }
        }
        return null;
    }

    static JsonNode json(byte[] data, String what) throws BadArchiveException {
        try {
            JsonNode n = JSON.readTree(data);
            if (n == null) {
                throw new BadArchiveException("invalid archive: " + what + " is empty");
            }
            return n;
        } catch (IOException e) {
            throw new BadArchiveException("invalid archive: " + what + " is not valid JSON: " + e.getMessage());
        }
    }
}
