package keel.engine.core.internal.image.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import keel.engine.api.errors.EngineException;

/** Docker's reference rules (distribution/reference), normalization and familiar forms. */
class ReferenceTest {

    @Test
    void normalizesAsDockerDoes() {
        assertEquals("docker.io/library/busybox", Reference.parseNormalized("busybox").toString());
        assertEquals("docker.io/library/busybox:latest", Reference.parseNormalized("busybox").tagNameOnly().toString());
        assertEquals("docker.io/team/app:1", Reference.parseNormalized("team/app:1").toString());
        assertEquals("docker.io/library/busybox:1", Reference.parseNormalized("index.docker.io/busybox:1").toString());
        assertEquals("localhost/app", Reference.parseNormalized("localhost/app").toString());
        assertEquals("registry:5000/app:v1", Reference.parseNormalized("registry:5000/app:v1").toString());
        Reference digested = Reference.parseNormalized("busybox@sha256:" + "a".repeat(64));
        assertTrue(digested.isCanonical());
        assertEquals("busybox@sha256:" + "a".repeat(64), digested.familiarString());
    }

    @Test
    void familiarForms() {
        assertEquals("busybox:latest", Reference.parseNormalized("docker.io/library/busybox:latest").familiarString());
        assertEquals("team/app", Reference.parseNormalized("docker.io/team/app").familiarName());
        assertEquals("library/a/b", Reference.parseNormalized("library/a/b").familiarName());
        assertEquals("registry:5000/app", Reference.parseNormalized("registry:5000/app").familiarName());
    }

    @Test
    void errorsAsDockerWordsThem() {
        assertError("invalid reference format: repository name (library/Busybox) must be lowercase", "Busybox");
        assertError("invalid reference format", "busybox:");
        assertError("invalid reference format", "bad name");
        assertError("invalid reference format", "-app");
        assertError("invalid repository name (" + "a".repeat(64) + "), cannot specify 64-byte hexadecimal strings",
                "a".repeat(64));
        assertError("repository name must not be more than 255 characters", "a/".repeat(128) + "b");
        assertThrows(EngineException.class, () -> Reference.parseNormalized("busybox").withTag(".x"));
        assertEquals("v" + "1".repeat(127), Reference.parseNormalized("b").withTag("v" + "1".repeat(127)).tag());
    }

    @Test
    void anyReferenceTakesIds() {
        String hex = "b".repeat(64);
        assertTrue(Reference.parseAny(hex).isDigestOnly());
        assertTrue(Reference.parseAny("sha256:" + hex).isDigestOnly());
        assertFalse(Reference.parseAny("bbbb").isDigestOnly());
    }

    @Test
    void familiarPatternsMatchLikeGoPathMatch() {
        Reference ref = Reference.parseNormalized("team/app:1.2");
        assertTrue(new FamiliarPattern("team/app").matches(ref));
        assertTrue(new FamiliarPattern("team/*").matches(ref));
        assertTrue(new FamiliarPattern("*/app:1.?").matches(ref));
        assertTrue(new FamiliarPattern("team/[a-c]pp:*").matches(ref));
        assertFalse(new FamiliarPattern("*").matches(ref));
        assertFalse(new FamiliarPattern("team/[^a]pp").matches(ref));
        assertTrue(new FamiliarPattern("busy\\box").matches(Reference.parseNormalized("busybox")));
        assertThrows(EngineException.class, () -> new FamiliarPattern("[a"));
    }

    private static void assertError(String message, String ref) {
        EngineException e = assertThrows(EngineException.class, () -> Reference.parseNormalized(ref));
        assertEquals(EngineException.Kind.INVALID_PARAMETER, e.kind());
        assertEquals(message, e.getMessage());
    }
}
