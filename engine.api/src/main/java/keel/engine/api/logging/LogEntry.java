package keel.engine.api.logging;

/**
 * One message: the stream ({@code stdout} or {@code stderr}), when it was read in nanoseconds since the epoch,
 * and its bytes. A complete line ends with {@code \n}; a longer line than the engine buffers (16 KiB, as Docker)
 * is passed in pieces, each but the last without {@code \n}.
 */
public record LogEntry(String stream, long timeNanos, byte[] line) {}
