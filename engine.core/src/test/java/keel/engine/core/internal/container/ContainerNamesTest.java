package keel.engine.core.internal.container;

import static keel.engine.core.internal.container.ContainerFixture.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.api.errors.EngineException.Kind;

/** Names and references: generated names, Docker's lookup order, conflicts, renames. */
class ContainerNamesTest {

    @TempDir
    Path dir;
    ContainerFixture f;
    ContainerEngine engine;

    @BeforeEach
    void open() throws Exception {
        f = new ContainerFixture(dir, new FakeRuntime(), new ContainerFixture.StubSpecs());
        engine = f.open();
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void generatedNamesAreAdjectiveUnderscoreSurname() {
        NameGenerator g = new NameGenerator(new Random(1));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String n = g.next(0);
            assertTrue(n.matches("[a-z]+_[a-z_]+"), n);
            assertTrue(ContainerIndex.NAME.matcher(n).matches(), n);
            seen.add(n);
        }
        assertTrue(seen.size() > 150, "names vary: " + seen.size());
        assertTrue(g.next(1).matches("[a-z]+_[a-z_]+[0-9]"), "a retry adds a digit");
        assertTrue(NameGenerator.ADJECTIVES.size() >= 60);
        assertTrue(NameGenerator.SURNAMES.size() >= 100);

        String id = f.create(null, "true");
        String name = engine.inspect(id, false).name();
        assertTrue(name.matches("/[a-z]+_[a-z_]+[0-9]?"), name);
    }

    @Test
    void aNameInUseIsAConflictInDockersWords() {
        String id = f.create("web", "true");
        var e = expect(() -> f.create("/web", "true"));
        assertEquals(Kind.CONFLICT, e.kind());
        assertEquals("Conflict. The container name \"/web\" is already in use by container \"" + id
                + "\". You have to remove (or rename) that container to be able to reuse that name.", e.getMessage());
        var bad = expect(() -> f.create("-bad", "true"));
        assertEquals(Kind.INVALID_PARAMETER, bad.kind());
        assertEquals("Invalid container name (-bad), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", bad.getMessage());
        engine.remove("web", false, false);
        assertNotEquals(id, f.create("web", "true"), "a removed container's name is free again");
    }

    @Test
    void lookupByIdNameAndUniquePrefix() {
        String a = f.create("alpha", "true");
        assertEquals(a, engine.inspect(a, false).id());
        assertEquals(a, engine.inspect("alpha", false).id());
        assertEquals(a, engine.inspect("/alpha", false).id());
        assertEquals(a, engine.inspect(a.substring(0, 5), false).id());
        assertEquals("No such container: nothing", expect(() -> engine.inspect("nothing", false)).getMessage());
        assertEquals("invalid name or ID supplied: \"\"", expect(() -> engine.inspect("", false)).getMessage());

        // make two IDs share a prefix: create until two start with the same hex digit
        String b;
        do {
            b = f.create(null, "true");
        } while (b.charAt(0) != a.charAt(0));
        String prefix = a.substring(0, 1);
        var ambiguous = expect(() -> engine.inspect(prefix, false));
        assertEquals(Kind.INVALID_PARAMETER, ambiguous.kind());
        assertEquals("multiple IDs found with provided prefix: " + prefix, ambiguous.getMessage());
    }

    @Test
    void aNameWinsOverAnIdPrefix() {
        String a = f.create(null, "true");
        String b = f.create(a.substring(0, 6), "true");
        assertEquals(b, engine.inspect(a.substring(0, 6), false).id());
    }

    @Test
    void rename() throws Exception {
        String id = f.create("old", "true");
        f.create("taken", "true");
        engine.rename("old", "new");
        assertEquals("/new", engine.inspect(id, false).name());
        assertEquals(Kind.NOT_FOUND, expect(() -> engine.inspect("old", false)).kind());
        assertEquals("Renaming a container with the same name as its current name", expect(() -> {
            engine.rename("new", "new");
            return null;
        }).getMessage());
        var taken = expect(() -> {
            engine.rename("new", "taken");
            return null;
        });
        assertEquals(Kind.CONFLICT, taken.kind());
        assertTrue(taken.getMessage().startsWith("Error when allocating new name: Conflict. The container name "
                + "\"/taken\" is already in use"), taken.getMessage());
        assertEquals("Neither old nor new names may be empty", expect(() -> {
            engine.rename("new", "");
            return null;
        }).getMessage());
        f.create("old", "true"); // the old name is free
        // and the new one survives a restart
        f.restart();
        assertEquals(id, f.engine.inspect("new", false).id());
    }
}
