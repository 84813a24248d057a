package keel.engine.archive.internal;

/**
 * Bounds on what one tar diff may make a {@link TarLayerArchiver} do, so that a hostile or broken archive fails
 * with a clear error instead of filling the disk, the inode table or the heap.
 *
 * @param maxEntries    most entries (of any type, whiteouts included) one archive may hold
 * @param maxEntrySize  largest declared content size of one entry, in bytes
 * @param maxNameLength longest entry name or link target after cleaning, in bytes of UTF-8 (PATH_MAX is 4096)
 * @param maxXattrBytes most bytes of extended attributes (names plus values) on one entry; the kernel's own
 *                      limit for one value is 64 KiB
 */
public record ExtractionLimits(long maxEntries, long maxEntrySize, int maxNameLength, int maxXattrBytes) {

    /** Generous enough for any real image layer. */
    public static final ExtractionLimits DEFAULT =
            new ExtractionLimits(1_000_000, 64L * 1024 * 1024 * 1024, 4096, 1024 * 1024);

    public ExtractionLimits {
        if (maxEntries < 1 || maxEntrySize < 0 || maxNameLength < 1 || maxXattrBytes < 0) {
            throw new IllegalArgumentException("extraction limits must be positive: " + maxEntries + ", "
                    + maxEntrySize + ", " + maxNameLength + ", " + maxXattrBytes);
        }
    }
}
