package keel.cli.internal.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** distribution/reference normalization as docker's client applies it. */
class ImageReferenceTest {

    @Test
    void normalizesDockerHubNames() {
        ImageReference r = ImageReference.parseNormalized("busybox");
        assertEquals("docker.io/library/busybox", r.name());
        assertEquals("busybox", r.familiarName());
        assertNull(r.tag());
        assertEquals("latest", r.withDefaultTag().tag());
        assertEquals("docker.io/user/app", ImageReference.parseNormalized("user/app:1").name());
        assertEquals("user/app", ImageReference.parseNormalized("docker.io/user/app").familiarName());
        assertEquals("busybox", ImageReference.parseNormalized("index.docker.io/library/busybox:1.36").familiarName());
    }

    @Test
    void keepsOtherRegistries() {
        ImageReference r = ImageReference.parseNormalized("localhost:5000/a/b:v2");
        assertEquals("localhost:5000/a/b", r.name());
        assertEquals("localhost:5000/a/b", r.familiarName());
        assertEquals("v2", r.tag());
        assertEquals("myreg.example.com:5000/team/busybox",
                ImageReference.parseNormalized("myreg.example.com:5000/team/busybox:v1").familiarName());
        assertEquals("localhost/x", ImageReference.parseNormalized("localhost/x").name());
    }

    @Test
    void digests() {
        ImageReference r = ImageReference.parseNormalized(
                "busybox@sha256:3fbc632167424a6d997e74f52b878d7cc478225cffac6bc977eedfe51c7f4e79");
        assertEquals("sha256:3fbc632167424a6d997e74f52b878d7cc478225cffac6bc977eedfe51c7f4e79", r.digest());
        assertEquals("busybox", r.familiarName());
    }

    @Test
    void errorsCarryDockerMessages() {
        assertEquals("invalid reference format: repository name (library/Foo) must be lowercase",
                assertThrows(IllegalArgumentException.class, () -> ImageReference.parseNormalized("Foo")).getMessage());
        assertEquals("invalid reference format",
                assertThrows(IllegalArgumentException.class, () -> ImageReference.parseNormalized("a:b:c")).getMessage());
        assertEquals("invalid reference format",
                assertThrows(IllegalArgumentException.class, () -> ImageReference.parseNormalized("")).getMessage());
        assertEquals("invalid repository name (a416a98b71e224a31ee99cff8e16063554498227d2b696152a9c3e0aa65e5824), "
                + "cannot specify 64-byte hexadecimal strings", assertThrows(IllegalArgumentException.class,
                        () -> ImageReference.parseNormalized(
                                "a416a98b71e224a31ee99cff8e16063554498227d2b696152a9c3e0aa65e5824")).getMessage());
        ImageReference.validateAny("sha256:a416a98b71e224a31ee99cff8e16063554498227d2b696152a9c3e0aa65e5824");
    }
}
