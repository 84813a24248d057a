package keel.engine.api.oci;

import java.util.List;

/** A mount in the container, made in the order listed. */
public record Mount(String destination, String type, String source, List<String> options) {}
