package keel.engine.api.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The engine's tar and file-tree toolbox for drivers, registered as a service by the engine. Drivers use it rather
 * than their own tar code so that every driver gets the same hardening: nothing extracted lands outside its target
 * directory (no {@code ..}, absolute names, or writes through symlinks and hardlinks that point outside), device
 * nodes only where allowed, entry sizes and counts bounded.
 */
@ProviderType
public interface LayerArchiver {

    /**
     * Extracts a tar diff into {@code dir}, representing whiteouts as {@code format} says. With
     * {@link WhiteoutFormat#APPLIED}, {@code dir} is expected to hold a copy of the parent tree already.
     *
     * @return bytes of file content written
     * @throws IOException on a malformed or malicious archive; {@code dir} may then hold part of the diff, which
     *         the caller removes
     */
    long extract(InputStream tar, Path dir, WhiteoutFormat format) throws IOException;

    /**
     * Writes every entry under {@code dir} as a tar diff, translating whiteouts kept in {@code format} back into
     * OCI whiteout entries. Entries are written in a stable order.
     */
    void writeTree(Path dir, WhiteoutFormat format, OutputStream tar) throws IOException;

    /**
     * Writes the tar diff that turns the full tree {@code lower} into the full tree {@code upper} (for drivers
     * that keep a full copy per layer). {@code lower} may be null, meaning an empty tree.
     */
    void writeChanges(Path lower, Path upper, OutputStream tar) throws IOException;

    /**
     * Copies the tree {@code source} to {@code target} (which must not exist) keeping ownership, permissions,
     * times, extended attributes, symlinks, hardlinks and device nodes.
     */
    void copyTree(Path source, Path target) throws IOException;

    /** Removes a tree without following symlinks; a missing tree is not an error. */
    void removeTree(Path tree) throws IOException;

    /** Size in bytes of the regular files in a tree, each hardlinked inode counted once. */
    long treeSize(Path tree) throws IOException;
}
