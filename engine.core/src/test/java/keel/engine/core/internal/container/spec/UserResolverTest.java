package keel.engine.core.internal.container.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -u} and {@code --group-add} resolved as moby/sys/user resolves them, and /etc files that try to lead the
 * daemon out of the rootfs.
 */
class UserResolverTest {

    @TempDir
    Path tmp;

    Path rootfs;
    UserResolver users;

    @BeforeEach
    void setUp() throws IOException {
        rootfs = new SpecFixture(tmp).rootfs;
        users = new UserResolver(rootfs);
    }

    private static UserResolver.ResolvedUser user(long uid, long gid, List<Long> sgids, String home) {
        return new UserResolver.ResolvedUser(uid, gid, sgids, home);
    }

    @Test
    void emptySpecIsRootWithTheGroupsListingRoot() {
        assertEquals(user(0, 0, List.of(10L), "/root"), users.resolve(""));
        assertEquals(user(0, 0, List.of(10L), "/root"), users.resolve(null));
    }

    @Test
    void nameBringsItsPrimaryGroupHomeAndMemberships() {
        assertEquals(user(1000, 1000, List.of(1500L), "/home/app"), users.resolve("app"));
        assertEquals(user(65534, 65534, List.of(1500L), "/home"), users.resolve("nobody"));
    }

    @Test
    void uidMatchesTheEntryWithThatUid() {
        assertEquals(user(1000, 1000, List.of(1500L), "/home/app"), users.resolve("1000"));
    }

    @Test
    void explicitGroupReplacesThePrimaryAndDropsMemberships() {
        assertEquals(user(1000, 1000, List.of(), "/home/app"), users.resolve("1000:1000"));
        assertEquals(user(1000, 29, List.of(), "/home/app"), users.resolve("app:audio"));
        assertEquals(user(1000, 29, List.of(), "/home/app"), users.resolve("1000:audio"));
        assertEquals(user(0, 29, List.of(), "/root"), users.resolve(":29"));
    }

    @Test
    void numericIdsNeedNoEntry() {
        assertEquals(user(4242, 0, List.of(), "/"), users.resolve("4242"));
        assertEquals(user(4242, 4343, List.of(), "/"), users.resolve("4242:4343"));
        assertEquals(user(1000, 4343, List.of(), "/home/app"), users.resolve("app:4343"));
    }

    @Test
    void unknownNamesAreDockersErrors() {
        Failures.invalid("unable to find user foo: no matching entries in passwd file", () -> users.resolve("foo"));
        Failures.invalid("unable to find group nope: no matching entries in group file",
                () -> users.resolve("app:nope"));
    }

    @Test
    void idsOutsideThe31BitRangeAreRefused() {
        Failures.invalid("uids and gids must be in range 0-2147483647", () -> users.resolve("-1"));
        Failures.invalid("uids and gids must be in range 0-2147483647", () -> users.resolve("2147483648"));
        Failures.invalid("uids and gids must be in range 0-2147483647", () -> users.resolve("1:-5"));
    }

    @Test
    void groupAddTakesNamesAndNumbers() {
        assertEquals(List.of(29L, 2000L, 10L), users.additionalGroups(List.of("audio", "2000", "wheel")));
        assertEquals(List.of(29L), users.additionalGroups(List.of("29", "29")));
        Failures.invalid("Unable to find group nosuch: no matching entries in group file",
                () -> users.additionalGroups(List.of("nosuch")));
    }

    @Test
    void withoutEtcFilesOnlyNumbersResolve() throws IOException {
        Files.delete(rootfs.resolve("etc/passwd"));
        Files.delete(rootfs.resolve("etc/group"));
        UserResolver bare = new UserResolver(rootfs);
        assertEquals(user(0, 0, List.of(), "/"), bare.resolve(""));
        assertEquals(user(1000, 1000, List.of(), "/"), bare.resolve("1000:1000"));
        Failures.invalid("unable to find user app: no matching entries in passwd file", () -> bare.resolve("app"));
    }

    @Test
    void absoluteSymlinkOutOfTheRootfsIsResolvedInsideIt() throws IOException {
        Path outside = tmp.resolve("outside");
        Files.createDirectories(outside);
        Files.writeString(outside.resolve("passwd"), "evil:x:0:0:evil:/evil:/bin/sh\n");
        Files.delete(rootfs.resolve("etc/passwd"));
        // what the image says: /etc/passwd -> <host path of outside>/passwd; inside the rootfs that path is empty
        Files.createSymbolicLink(rootfs.resolve("etc/passwd"), outside.resolve("passwd"));
        UserResolver r = new UserResolver(rootfs);
        Failures.invalid("unable to find user evil: no matching entries in passwd file", () -> r.resolve("evil"));
        assertEquals("/", r.homeOf(0));
    }

    @Test
    void relativeSymlinkClimbingAboveTheRootfsStopsAtItsRoot() throws IOException {
        Path outside = tmp.resolve("outside");
        Files.createDirectories(outside);
        Files.writeString(outside.resolve("passwd"), "evil:x:0:0:evil:/evil:/bin/sh\n");
        Files.delete(rootfs.resolve("etc/passwd"));
        Files.createSymbolicLink(rootfs.resolve("etc/passwd"), Path.of("../../../../../../outside/passwd"));
        UserResolver r = new UserResolver(rootfs);
        Failures.invalid("unable to find user evil: no matching entries in passwd file", () -> r.resolve("evil"));
    }

    @Test
    void symlinkedEtcDirectoryPointingOutIsResolvedInside() throws IOException {
        Path outsideEtc = tmp.resolve("outside-etc");
        Files.createDirectories(outsideEtc);
        Files.writeString(outsideEtc.resolve("passwd"), "evil:x:0:0:evil:/evil:/bin/sh\n");
        Files.writeString(outsideEtc.resolve("group"), "evil:x:0:evil\n");
        Files.move(rootfs.resolve("etc"), rootfs.resolve("etc.orig"));
        Files.createSymbolicLink(rootfs.resolve("etc"), outsideEtc);
        UserResolver r = new UserResolver(rootfs);
        Failures.invalid("unable to find user evil: no matching entries in passwd file", () -> r.resolve("evil"));
    }

    @Test
    void symlinksWithinTheRootfsAreFollowed() throws IOException {
        Files.createDirectories(rootfs.resolve("usr/lib"));
        Files.move(rootfs.resolve("etc/passwd"), rootfs.resolve("usr/lib/passwd"));
        Files.createSymbolicLink(rootfs.resolve("etc/passwd"), Path.of("/usr/lib/passwd"));
        Files.move(rootfs.resolve("etc/group"), rootfs.resolve("usr/lib/group"));
        Files.createSymbolicLink(rootfs.resolve("etc/group"), Path.of("../usr/./lib/group"));
        assertEquals(user(1000, 1000, List.of(1500L), "/home/app"), new UserResolver(rootfs).resolve("app"));
    }

    @Test
    void aDirectoryOrALoopIsNoPasswdFile() throws IOException {
        Files.delete(rootfs.resolve("etc/passwd"));
        Files.createDirectory(rootfs.resolve("etc/passwd"));
        Files.delete(rootfs.resolve("etc/group"));
        Files.createSymbolicLink(rootfs.resolve("etc/group"), Path.of("group"));
        UserResolver r = new UserResolver(rootfs);
        assertEquals(user(7, 0, List.of(), "/"), r.resolve("7"));
    }

    @Test
    void rootfsFilesNeverLeaveTheRoot() throws IOException {
        Files.writeString(tmp.resolve("secret"), "host secret");
        Files.createSymbolicLink(rootfs.resolve("etc/s1"), Path.of("../../secret"));
        Files.createSymbolicLink(rootfs.resolve("etc/s2"), tmp.resolve("secret"));
        RootfsFiles files = new RootfsFiles(rootfs);
        assertNull(files.read("/etc/s1"));
        assertNull(files.read("/etc/s2"));
        assertNull(files.read("/../../secret"));
        assertEquals(rootfs.resolve("secret"), files.resolve("/etc/s1"));
        Files.writeString(rootfs.resolve("secret"), "container file");
        assertEquals("container file", new String(files.read("/etc/s1"), StandardCharsets.UTF_8));
        assertNull(files.read("/etc/s2"));
    }

    @Test
    void passwdQuirksMatchMobySysUser() {
        // passwd has no comments: a "#..." line is an entry whose uid does not parse, i.e. 0; group skips them;
        // CRLF line ends are tolerated
        byte[] passwd = "#root:x:0:0::/nowhere:/bin/sh\r\nroot:x:0:0:root:/root:/bin/sh\r\n  \r\n"
                .getBytes(StandardCharsets.UTF_8);
        byte[] group = "# wheel:x:10:root\r\nadm:x:4:root,daemon\r\n".getBytes(StandardCharsets.UTF_8);
        UserResolver r = new UserResolver(passwd, group);
        assertEquals(user(0, 0, List.of(), "/nowhere"), r.resolve(""));
        assertEquals(user(0, 0, List.of(4L), "/nowhere"), r.resolve("root"));
        assertFalse(r.additionalGroups(List.of("adm")).isEmpty());
    }
}
