package keel.engine.rest.internal.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;

/**
 * The file system side of the API's Unix socket. Whoever can connect to it is root on the host, so:
 * <ul>
 * <li>the socket is bound inside a fresh 0700 directory, given mode 0660 and its group there, and only then
 * renamed to its public path, so there is no moment where it is reachable with the process umask's mode
 * (dockerd gets the same effect by setting umask 0777 around bind);</li>
 * <li>an existing path is replaced only when it is a socket nobody answers on (left by a crash): a regular file
 * there is the operator's and a live socket another daemon's.</li>
 * </ul>
 */
final class UnixSocketFile {
    private static final System.Logger LOG = System.getLogger(UnixSocketFile.class.getName());

    private final Path path;
    private final String group;
    private Path stagingDir;
    private boolean published;

    UnixSocketFile(Path path, String group) {
        this.path = path;
        this.group = group;
    }

    Path path() {
        return path;
    }

    /** Clears the way and returns the private path to bind to. */
    Path prepare() throws IOException {
        Path parent = path.getParent();
        Files.createDirectories(parent);
        removeStale();
        stagingDir = Files.createTempDirectory(parent, ".keel-api-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path staged = stagingDir.resolve("s");
        if (staged.toString().getBytes(StandardCharsets.UTF_8).length
                > ListenAddress.MAX_SOCKET_PATH) {
            cleanStaging();
            throw new IOException("cannot create " + path + ": the staging path " + staged
                    + " is too long for a Unix socket; use a shorter directory");
        }
        return staged;
    }

    /** Gives the bound socket its mode and group and moves it to its public path. */
    void publish(Path staged) throws IOException {
        try {
            Files.setPosixFilePermissions(staged, PosixFilePermissions.fromString("rw-rw----"));
            Files.getFileAttributeView(staged, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setGroup(groupPrincipal(staged));
            Files.move(staged, path, StandardCopyOption.ATOMIC_MOVE);
            published = true;
        } finally {
            cleanStaging();
        }
    }

    /** Removes the socket this server published (never one it found) and any staging directory. */
    void remove() {
        cleanStaging();
        if (!published) {
            return;
        }
        published = false;
        try {
            if (Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) {
                Files.delete(path);
            }
        } catch (NoSuchFileException e) {
            // Already gone.
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot remove API socket " + path + ": " + e.getMessage());
        }
    }

    private void removeStale() throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if (!attrs.isOther()) {
            throw new IOException("cannot listen on " + path + ": it exists and is not a socket; remove it or "
                    + "choose another path");
        }
        if (answers(path)) {
            throw new IOException("cannot listen on " + path + ": another daemon is listening on it");
        }
        LOG.log(Level.INFO, "removing stale API socket " + path);
        Files.delete(path);
    }

    private static boolean answers(Path socket) {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The configured group, or root's when it does not exist on this host (as dockerd does for "docker"). */
    private GroupPrincipal groupPrincipal(Path p) throws IOException {
        var lookup = p.getFileSystem().getUserPrincipalLookupService();
        if (group != null && !group.isBlank()) {
            try {
                return lookup.lookupPrincipalByGroupName(group);
            } catch (UserPrincipalNotFoundException e) {
                LOG.log(Level.INFO, "group " + group + " does not exist; " + path + " is for root only");
            }
        }
        return lookup.lookupPrincipalByGroupName("root");
    }

    private void cleanStaging() {
        if (stagingDir == null) {
            return;
        }
        try {
            Files.deleteIfExists(stagingDir.resolve("s"));
            Files.deleteIfExists(stagingDir);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot remove " + stagingDir + ": " + e.getMessage());
        }
        stagingDir = null;
    }
}
