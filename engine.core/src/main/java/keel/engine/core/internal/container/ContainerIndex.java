package keel.engine.core.internal.container;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

import keel.engine.api.errors.EngineException;

/**
 * The containers by ID and by name, with Docker's lookup rules (daemon.GetContainer): a full ID, then a name (with
 * or without the leading "/"), then a unique ID prefix. Names are reserved before a container exists, so two
 * concurrent creates cannot take the same one.
 */
final class ContainerIndex {

    /** Docker's RestrictedNameChars. */
    static final String NAME_CHARS = "[a-zA-Z0-9][a-zA-Z0-9_.-]";
    static final Pattern NAME = Pattern.compile("^" + NAME_CHARS + "+$");

    private final NavigableMap<String, ContainerRecord> byId = new TreeMap<>();
    /** "/name" to container ID; reserved names point to an ID that may not be in {@link #byId} yet. */
    private final Map<String, String> names = new HashMap<>();

    synchronized void add(ContainerRecord r) {
        byId.put(r.id, r);
        names.put(r.name, r.id);
    }

    synchronized void remove(ContainerRecord r) {
        byId.remove(r.id);
        names.remove(r.name, r.id);
    }

    synchronized List<ContainerRecord> all() {
        return new ArrayList<>(byId.values());
    }

    synchronized int size() {
        return byId.size();
    }

    synchronized ContainerRecord byId(String id) {
        return byId.get(id);
    }

    /**
     * Finds a container as Docker does.
     *
     * @throws EngineException NOT_FOUND ({@code No such container: x}), INVALID_PARAMETER for an empty reference or
     *         an ambiguous prefix
     */
    synchronized ContainerRecord lookup(String ref) {
        if (ref == null || ref.isEmpty()) {
            throw EngineException.invalid("invalid name or ID supplied: \"\"");
        }
        ContainerRecord r = byId.get(ref);
        if (r != null) {
            return r;
        }
        String id = names.get(ref.startsWith("/") ? ref : "/" + ref);
        if (id != null && byId.containsKey(id)) {
            return byId.get(id);
        }
        String found = null;
        for (String candidate : byId.tailMap(ref, true).keySet()) {
            if (!candidate.startsWith(ref)) {
                break;
            }
            if (found != null) {
                throw EngineException.invalid("multiple IDs found with provided prefix: " + ref);
            }
            found = candidate;
        }
        if (found == null) {
            throw EngineException.notFound("No such container: " + ref);
        }
        return byId.get(found);
    }

    /** The container named exactly {@code name} (with or without "/"), or null. */
    synchronized ContainerRecord byName(String name) {
        String id = names.get(name.startsWith("/") ? name : "/" + name);
        return id == null ? null : byId.get(id);
    }

    /**
     * Reserves a name for container {@code id}.
     *
     * @return the name with its leading "/"
     * @throws EngineException INVALID_PARAMETER for a malformed name, CONFLICT in Docker's words when it is taken
     */
    synchronized String reserve(String name, String id) {
        String bare = name.startsWith("/") ? name.substring(1) : name;
        if (!NAME.matcher(bare).matches()) {
            throw EngineException.invalid("Invalid container name (" + name + "), only " + NAME_CHARS
                    + " are allowed");
        }
        String full = "/" + bare;
        String holder = names.get(full);
        if (holder != null && !holder.equals(id)) {
            throw EngineException.conflict("Conflict. The container name \"" + full
                    + "\" is already in use by container \"" + holder
                    + "\". You have to remove (or rename) that container to be able to reuse that name.");
        }
        names.put(full, id);
        return full;
    }

    /** Reserves a generated name (Docker tries six times, the last ones with a digit, then the short ID). */
    synchronized String reserveGenerated(String id, NameGenerator generator) {
        for (int i = 0; i < 6; i++) {
            String full = "/" + generator.next(i);
            if (!names.containsKey(full)) {
                names.put(full, id);
                return full;
            }
        }
        String full = "/" + id.substring(0, 12);
        names.put(full, id);
        return full;
    }

    synchronized void release(String name, String id) {
        names.remove(name, id);
    }

    /** Moves a container to a reserved new name, releasing the old one. */
    synchronized void rename(ContainerRecord r, String oldName, String newName) {
        names.remove(oldName, r.id);
        names.put(newName, r.id);
    }

    synchronized boolean hasId(String id) {
        return byId.containsKey(id) || names.containsValue(id);
    }
}
