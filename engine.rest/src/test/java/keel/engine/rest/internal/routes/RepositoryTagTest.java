package keel.engine.rest.internal.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RepositoryTagTest {

    @Test
    void tagMayComeInlineOrApart() {
        assertEquals(new RepositoryTag("app", "1.0"), RepositoryTag.of("app:1.0", null));
        assertEquals(new RepositoryTag("app", "2"), RepositoryTag.of("app:1.0", "2"));
        assertEquals(new RepositoryTag("app", null), RepositoryTag.of("app", ""));
        assertEquals(new RepositoryTag("app", "x"), RepositoryTag.of("app", "x"));
    }

    @Test
    void aRegistryPortIsNotATag() {
        assertEquals(new RepositoryTag("localhost:5000/app", null), RepositoryTag.of("localhost:5000/app", null));
        assertEquals(new RepositoryTag("localhost:5000/app", "v1"), RepositoryTag.of("localhost:5000/app:v1", ""));
        assertEquals(new RepositoryTag("app@sha256:ab", null), RepositoryTag.of("app@sha256:ab", null));
    }

    @Test
    void noRepository() {
        assertEquals(new RepositoryTag(null, null), RepositoryTag.of(null, null));
        assertEquals(new RepositoryTag(null, null), RepositoryTag.of("", ""));
    }
}
