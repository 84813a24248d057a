package keel.engine.rest.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RouterTest {
    private static final RouteHandler NOTHING = (rq, rs) -> {};

    private final Router router = new Router().add(List.of(
            Route.get("/images/json", NOTHING),
            Route.get("/images/get", NOTHING),
            Route.get("/images/{name}/get", NOTHING),
            Route.get("/images/{name}/json", NOTHING),
            Route.post("/images/{name}/tag", NOTHING),
            Route.delete("/images/{name}", NOTHING)));

    private Map<String, String> vars(String method, String path) {
        return router.find(method, path).orElseThrow(() -> new AssertionError(method + " " + path)).variables();
    }

    @Test
    void fixedPathsWinOverPatterns() {
        assertEquals(Map.of(), vars("GET", "/images/json"));
        assertEquals(Map.of(), vars("GET", "/images/get"));
    }

    @Test
    void namesKeepTheirSlashesAndColons() {
        assertEquals(Map.of("name", "busybox"), vars("GET", "/images/busybox/json"));
        assertEquals(Map.of("name", "registry:5000/team/app:1.0"),
                vars("GET", "/images/registry:5000/team/app:1.0/json"));
        assertEquals(Map.of("name", "app@sha256:abc"), vars("POST", "/images/app@sha256:abc/tag"));
        assertEquals(Map.of("name", "a/b/c:d"), vars("DELETE", "/images/a/b/c:d"));
    }

    @Test
    void theTailIsTakenFromTheEnd() {
        // An image called "json/json" still reads as name + /json.
        assertEquals(Map.of("name", "team/json"), vars("GET", "/images/team/json/json"));
        assertEquals(Map.of("name", "x/get"), vars("GET", "/images/x/get/get"));
    }

    @Test
    void noMatchForOtherMethodsOrShapes() {
        assertTrue(router.find("POST", "/images/json").isEmpty());
        assertTrue(router.find("GET", "/images/busybox").isEmpty());
        assertTrue(router.find("GET", "/images//json").isEmpty());
        assertTrue(router.find("GET", "/images/json/").isEmpty());
    }
}
