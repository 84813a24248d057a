package keel.engine.core.internal.image.reference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import keel.engine.api.errors.EngineException;
import keel.engine.core.internal.image.disk.AtomicFiles;

/**
 * Names of images: tags and digests mapped to image IDs, kept in {@code repositories.json} in Docker's format
 * ({@code {"Repositories": {"busybox": {"busybox:latest": "sha256:..."}}}}). Changes are made in memory and
 * {@linkplain #save saved} atomically; a failed save restores the saved state. Not thread-safe: the image store
 * calls it under its lock.
 */
public final class ReferenceStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final TreeMap<Reference, String> refs = new TreeMap<>();

    public ReferenceStore(Path file) {
        this.file = file;
    }

    /**
     * Reads {@code repositories.json}; names that do not parse are dropped and described in {@code repairs}.
     */
    public void load(List<String> repairs) throws IOException {
        refs.clear();
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return;
        }
        JsonNode root;
        try {
            root = JSON.readTree(data);
        } catch (IOException e) {
            repairs.add("ignored unreadable " + file.getFileName() + ": " + e.getMessage());
            return;
        }
        JsonNode repos = root == null ? null : root.get("Repositories");
        if (repos == null || !repos.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = repos.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> repo = it.next();
            for (Iterator<Map.Entry<String, JsonNode>> r = repo.getValue().fields(); r.hasNext();) {
                Map.Entry<String, JsonNode> e = r.next();
                try {
                    Reference ref = Reference.parseNormalized(e.getKey());
                    String id = e.getValue().asText();
                    if (ref.isNameOnly() || !id.matches("sha256:[a-f0-9]{64}")) {
                        throw EngineException.invalid("bad entry");
                    }
                    refs.put(ref, id);
                } catch (EngineException ex) {
                    repairs.add("dropped unreadable reference " + e.getKey());
                }
            }
        }
    }

    /** Writes the current state atomically; on failure reloads the saved state and rethrows. */
    public void save() throws IOException {
        ObjectNode repos = JSON.createObjectNode();
        for (Map.Entry<Reference, String> e : refs.entrySet()) {
            String repo = e.getKey().familiarName();
            ObjectNode r = repos.has(repo) ? (ObjectNode) repos.get(repo) : repos.putObject(repo);
            r.put(e.getKey().familiarString(), e.getValue());
        }
        // Docker's Go map encoding sorts keys; keep the same order so the file diffs cleanly.
        ObjectNode sorted = JSON.createObjectNode();
        new TreeMap<String, JsonNode>(toMap(repos)).forEach((k, v) -> sorted.set(k, sortFields((ObjectNode) v)));
        ObjectNode root = JSON.createObjectNode();
        root.set("Repositories", sorted);
        try {
            AtomicFiles.write(file, JSON.writeValueAsBytes(root));
        } catch (IOException | RuntimeException e) {
            load(new ArrayList<>());
            throw e;
        }
    }

    /** The image a name points to ({@code busybox} meaning {@code busybox:latest}), or null. */
    public String get(Reference ref) {
        return refs.get(ref.tagNameOnly());
    }

    /** Every name of an image, in lexical order of the full reference (as Docker lists them). */
    public List<Reference> references(String imageId) {
        List<Reference> out = new ArrayList<>();
        for (Map.Entry<Reference, String> e : refs.entrySet()) {
            if (e.getValue().equals(imageId)) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    /** Every tag and digest of a repository with the image each points to. */
    public List<Map.Entry<Reference, String>> referencesByName(Reference name) {
        List<Map.Entry<Reference, String>> out = new ArrayList<>();
        for (Map.Entry<Reference, String> e : refs.entrySet()) {
            if (e.getKey().name().equals(name.name())) {
                out.add(Map.entry(e.getKey(), e.getValue()));
            }
        }
        return out;
    }

    /**
     * Points {@code ref} at {@code imageId} (in memory; {@link #save} to keep it).
     *
     * @return the image it pointed to before, or null
     */
    public String put(Reference ref, String imageId) {
        return refs.put(ref, imageId);
    }

    /** Removes a name (in memory); returns whether it existed. */
    public boolean delete(Reference ref) {
        return refs.remove(ref.tagNameOnly()) != null;
    }

    /** Removes every name of an image (in memory); returns them. */
    public List<Reference> deleteAll(String imageId) {
        List<Reference> gone = references(imageId);
        gone.forEach(refs::remove);
        return gone;
    }

    /** The IDs of every named image. */
    public Set<String> imageIds() {
        return new TreeSet<>(refs.values());
    }

    /** A copy of every name. */
    public Map<Reference, String> snapshot() {
        return new TreeMap<>(refs);
    }

    private static Map<String, JsonNode> toMap(ObjectNode o) {
        Map<String, JsonNode> m = new TreeMap<>();
        o.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue()));
        return m;
    }

    private static ObjectNode sortFields(ObjectNode o) {
        ObjectNode out = JSON.createObjectNode();
        toMap(o).forEach(out::set);
        return out;
    }
}
