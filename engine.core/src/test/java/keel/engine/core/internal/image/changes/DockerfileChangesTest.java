package keel.engine.core.internal.image.changes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.errors.EngineException;

/** The {@code --change} instructions of import and commit. */
class DockerfileChangesTest {

    private static ContainerConfig apply(String... changes) {
        return DockerfileChanges.apply(ContainerConfig.EMPTY, List.of(changes));
    }

    @Test
    void jsonAndShellForms() {
        assertEquals(List.of("ls", "-l"), apply("CMD [\"ls\", \"-l\"]").cmd());
        assertEquals(List.of("/bin/sh", "-c", "ls -l | wc"), apply("CMD ls -l | wc").cmd());
        assertEquals(List.of("/bin/sh", "-c", "[not json"), apply("CMD [not json").cmd());
        assertEquals(List.of("/bin/sh", "-c", "echo a  b"), apply("cmd echo a \\\n b").cmd());
    }

    @Test
    void entrypointClearsAnInheritedCmd() {
        ContainerConfig base = ContainerConfig.builder().cmd(List.of("sh")).build();
        assertNull(DockerfileChanges.apply(base, List.of("ENTRYPOINT [\"/init\"]")).cmd());
        assertEquals(List.of("x"), DockerfileChanges.apply(base, List.of("CMD [\"x\"]", "ENTRYPOINT [\"/init\"]")).cmd());
    }

    @Test
    void envExpandsAndReplaces() {
        ContainerConfig c = apply("ENV A=1 B=\"two words\"", "ENV A=${A}0 C=$B-${MISSING:-dflt}", "ENV D 'single $A'");
        assertEquals(List.of("A=10", "B=two words", "C=two words-dflt", "D=single $A"), c.env());
        assertEquals("/x/10", apply("ENV A=10", "WORKDIR /x/$A").workingDir());
        assertEquals("/a/b", apply("WORKDIR a", "WORKDIR b/c/..").workingDir());
    }

    @Test
    void portsVolumesLabelsSignalsHealthchecks() {
        assertEquals(Map.of("80/tcp", Map.of(), "53/udp", Map.of()), apply("EXPOSE 80 53/UDP").exposedPorts());
        assertEquals(Map.of("/a", Map.of(), "/b c", Map.of()), apply("VOLUME [\"/a\", \"/b c\"]").volumes());
        assertEquals(Map.of("a", "b", "c", "d e"), apply("LABEL a=b", "LABEL c \"d e\"").labels());
        assertEquals("9", apply("STOPSIGNAL 9").stopSignal());
        ContainerConfig.HealthConfig h = apply("HEALTHCHECK --interval=30s --retries=3 CMD curl -f http://x/").healthcheck();
        assertEquals(List.of("CMD-SHELL", "curl -f http://x/"), h.test());
        assertEquals(30_000_000_000L, h.interval());
        assertEquals(3, h.retries());
        assertEquals(List.of("NONE"), apply("HEALTHCHECK NONE").healthcheck().test());
    }

    @Test
    void dockersErrors() {
        assertError("run is not a valid change command", "RUN make");
        assertError("copy is not a valid change command", "# comment", "COPY a b");
        assertError("invalid proto: icmp", "EXPOSE 80/icmp");
        assertError("invalid containerPort: http", "EXPOSE http");
        assertError("invalid signal: SIGNOPE", "STOPSIGNAL SIGNOPE");
        assertError("ENV must have two arguments", "ENV lonely");
        assertError("Syntax error - can't find = in \"b\". Must be of the form: name=value", "ENV a=1 b");
        assertError("USER requires exactly one argument", "USER a b");
        assertError("Chaining ON BUILD via `ONBUILD ONBUILD` isn't allowed", "ONBUILD ONBUILD RUN x");
        assertError("FROM isn't allowed as an ON BUILD trigger", "ONBUILD FROM x");
        assertError("Unknown type \"TEST\" in HEALTHCHECK (try CMD)", "HEALTHCHECK TEST x");
    }

    private static void assertError(String message, String... changes) {
        EngineException e = assertThrows(EngineException.class, () -> apply(changes));
        assertEquals(EngineException.Kind.INVALID_PARAMETER, e.kind());
        assertEquals(message, e.getMessage());
    }
}
