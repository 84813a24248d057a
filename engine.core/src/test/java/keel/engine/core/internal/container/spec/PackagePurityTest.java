package keel.engine.core.internal.container.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Keeps this package a pure library: no libc binding (jnr), no OSGi/DS, no other engine.core package, no
 * subprocess. The container lifecycle calls it; the kernel side lives in the runtime.
 */
class PackagePurityTest {

    private static final Path SOURCES = Path.of("src/main/java/keel/engine/core/internal/container/spec");

    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+)", Pattern.MULTILINE);

    @Test
    void importsOnlyTheJdkJacksonAndEngineApi() throws IOException {
        List<String> offending = new ArrayList<>();
        try (Stream<Path> files = Files.list(SOURCES)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String src = Files.readString(f);
                Matcher m = IMPORT.matcher(src);
                while (m.find()) {
                    String imp = m.group(2);
                    boolean allowed = imp.startsWith("java.") || imp.startsWith("com.fasterxml.jackson.")
                            || imp.startsWith("keel.engine.api.")
                            || imp.startsWith("keel.engine.core.internal.container.spec.");
                    if (!allowed) {
                        offending.add(f.getFileName() + ": " + imp);
                    }
                }
                for (String banned : List.of("ProcessBuilder", "Runtime.getRuntime().exec", "System.loadLibrary",
                        "@Component", "jnr.", "keel.engine.core.internal.image")) {
                    if (src.contains(banned)) {
                        offending.add(f.getFileName() + ": uses " + banned);
                    }
                }
            }
        }
        assertEquals(List.of(), offending);
    }
}
