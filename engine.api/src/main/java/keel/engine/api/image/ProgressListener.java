package keel.engine.api.image;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives progress of a long operation; the REST layer turns it into Docker's JSON message stream. Calls come
 * from the thread doing the work.
 */
@ConsumerType
public interface ProgressListener {

    /** A listener that drops everything. */
    ProgressListener NONE = new ProgressListener() {
        @Override
        public void progress(String id, String status, long current, long total) {}

        @Override
        public void message(String line) {}
    };

    /**
     * Progress of one item: {@code id} is a short ID (a layer's), {@code status} what happens to it
     * ({@code Loading layer}), {@code current} and {@code total} in bytes ({@code total} 0 when unknown).
     */
    void progress(String id, String status, long current, long total);

    /** A line of text for the user, e.g. {@code Loaded image: busybox:latest}. */
    void message(String line);
}
