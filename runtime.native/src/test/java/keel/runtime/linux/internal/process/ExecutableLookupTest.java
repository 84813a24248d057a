package keel.runtime.linux.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import keel.engine.api.runtime.ContainerStartException;
import keel.runtime.linux.internal.syscall.ErrnoException;
import keel.runtime.linux.internal.syscall.LinuxKernel;

/** runc's (Go's exec.LookPath) rules and messages, against a fake filesystem. */
class ExecutableLookupTest {

    static final Map<String, Integer> FILES = Map.of(
            "/bin/sh", LinuxKernel.S_IFREG | 0755,
            "/usr/bin/app", LinuxKernel.S_IFREG | 0755,
            "/etc", LinuxKernel.S_IFDIR | 0755,
            "/etc/passwd", LinuxKernel.S_IFREG | 0644,
            "/work/run.sh", LinuxKernel.S_IFREG | 0700);

    static LinuxKernel.FileStat stat(String path) throws ErrnoException {
        Integer mode = FILES.get(path.replace("/./", "/"));
        if (mode == null) {
            throw new ErrnoException("stat(" + path + ")", LinuxKernel.ENOENT, "No such file or directory");
        }
        return new LinuxKernel.FileStat(mode, 0, 0, 0, 0, 0);
    }

    static String find(String name, String path) throws ContainerStartException {
        return ExecutableLookup.find(name, path, "/work", ExecutableLookupTest::stat);
    }

    @Test
    void namesAreSearchedInPath() throws Exception {
        assertEquals("/bin/sh", find("sh", "/usr/local/bin:/usr/bin:/bin"));
        assertEquals("/usr/bin/app", find("app", "/usr/bin:/bin"));
    }

    @Test
    void pathsAreUsedAsTheyAre() throws Exception {
        assertEquals("/bin/sh", find("/bin/sh", "/nowhere"));
        assertEquals("./run.sh", find("./run.sh", null));
    }

    @Test
    void runcsMessages() {
        assertEquals("exec: \"nope\": executable file not found in $PATH",
                assertThrows(ContainerStartException.class, () -> find("nope", "/bin")).getMessage());
        assertEquals("exec: \"sh\": executable file not found in $PATH",
                assertThrows(ContainerStartException.class, () -> find("sh", null)).getMessage());
        assertEquals("exec: \"/etc\": permission denied",
                assertThrows(ContainerStartException.class, () -> find("/etc", "/bin")).getMessage());
        assertEquals("exec: \"/etc/passwd\": permission denied",
                assertThrows(ContainerStartException.class, () -> find("/etc/passwd", "/bin")).getMessage());
        assertEquals("exec: \"/x\": stat /x: no such file or directory",
                assertThrows(ContainerStartException.class, () -> find("/x", "/bin")).getMessage());
        assertEquals("exec: \"\": executable file not found in $PATH",
                assertThrows(ContainerStartException.class, () -> find("", "/bin")).getMessage());
    }

    @Test
    void aProgramFoundThroughARelativePathEntryIsRefused() {
        assertThrows(ContainerStartException.class, () -> find("run.sh", ":/bin"));
    }

    @Test
    void theLastPathInTheEnvironmentCounts() {
        assertEquals("/b", ExecutableLookup.pathOf(List.of("PATH=/a", "X=1", "PATH=/b")));
    }
}
