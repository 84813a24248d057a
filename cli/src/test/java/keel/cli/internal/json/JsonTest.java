package keel.cli.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void readsValuesKeepingKeyOrder() throws IOException {
        Object v = JsonReader.parse("{\"b\":1,\"a\":[true,false,null,-2.5e3,\"x\\u00e9\\ud83d\\ude00\\n\"],\"c\":{}}");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of("b", "a", "c"), List.copyOf(m.keySet()));
        assertEquals(1L, m.get("b"));
        assertEquals(Arrays.asList(true, false, null, -2500.0, "xé😀\n"), m.get("a"));
        assertEquals(Map.of(), m.get("c"));
    }

    @Test
    void readsAStreamOfMessagesOneByOne() throws IOException {
        byte[] stream = "{\"status\":\"a\"}\r\n{\"status\":\"b\"}\r\n".getBytes(StandardCharsets.UTF_8);
        JsonReader r = new JsonReader(new ByteArrayInputStream(stream));
        assertTrue(r.hasNext());
        assertEquals(Map.of("status", "a"), r.next());
        assertTrue(r.hasNext());
        assertEquals(Map.of("status", "b"), r.next());
        assertFalse(r.hasNext());
    }

    @Test
    void rejectsBadJson() {
        assertThrows(IOException.class, () -> JsonReader.parse("{\"a\":}"));
        assertThrows(IOException.class, () -> JsonReader.parse("[1,2"));
        assertThrows(IOException.class, () -> JsonReader.parse("{} x"));
    }

    @Test
    void writesLikeGoEncodingJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "<a&b>\u2028\t\"");
        m.put("n", 42L);
        m.put("f", 0.5);
        m.put("big", 1e21);
        m.put("l", Arrays.asList(null, true));
        assertEquals("{\"s\":\"<a&b>\\u2028\\t\\\"\",\"n\":42,\"f\":0.5,\"big\":1e+21,\"l\":[null,true]}",
                JsonWriter.write(m, false));
        assertEquals("\"\\u003cnone\\u003e\"", JsonWriter.write("<none>", true));
        assertEquals("4261574", JsonWriter.write(4261574.0, false));
    }

    @Test
    void indentsRawTextLikeGoJsonIndent() throws IOException {
        assertEquals("[\n    {\n        \"Id\": \"x\",\n        \"Tags\": [],\n        \"Cfg\": {},\n"
                + "        \"N\": 1.50,\n        \"L\": [\n            \"a: b, c\"\n        ]\n    }\n]",
                JsonIndenter.indent("[{\"Id\":\"x\",\"Tags\":[],\"Cfg\":{},\"N\":1.50,\"L\":[\"a: b, c\"]}]", "    "));
    }
}
