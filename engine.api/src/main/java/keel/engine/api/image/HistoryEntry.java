package keel.engine.api.image;

import java.util.List;

/**
 * One step of an image's history. {@code id} is the image ID for the newest step and {@code <missing>} for steps
 * that have no image of their own, as Docker prints it.
 */
public record HistoryEntry(String id, long created, String createdBy, List<String> tags, long size,
        String comment) {}
