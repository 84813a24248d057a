package keel.cli.internal.json;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small streaming JSON reader: objects become {@link LinkedHashMap} (the daemon's key order is kept, as docker
 * prints it), arrays {@link ArrayList}, numbers {@link Long} when integral and {@link Double} otherwise, plus
 * String, Boolean and null.
 *
 * <p>It reads bytes straight from the stream and never asks for more than it needs to finish the current value,
 * so a progress stream ({@code {"status":...}\r\n{"status":...}}) is rendered message by message as the daemon
 * sends it. Jackson would do the same job but its class loading costs more than the whole CLI run.
 */
public final class JsonReader {

    /** The objects of a parsed JSON array (what a list endpoint answers); nothing when it is not an array. */
    public static List<Map<?, ?>> objects(Object json) {
        List<Map<?, ?>> out = new ArrayList<>();
        if (json instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    private final InputStream in;
    private final byte[] buf = new byte[8192];
    private int pos;
    private int limit;
    private long offset;

    public JsonReader(InputStream in) {
        this.in = in;
    }

    /** Parses one complete JSON document. */
    public static Object parse(byte[] json) throws IOException {
        JsonReader r = new JsonReader(new ByteArrayInputStream(json));
        Object v = r.next();
        if (r.skipWhitespace() != -1) {
            throw r.error("invalid character after top-level value");
        }
        return v;
    }

    public static Object parse(String json) throws IOException {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /** True when another value follows in the stream (whitespace between values is skipped). */
    public boolean hasNext() throws IOException {
        return skipWhitespace() != -1;
    }

    /** Reads the next value; at end of input an {@link java.io.EOFException}. */
    public Object next() throws IOException {
        int c = skipWhitespace();
        if (c == -1) {
            throw new java.io.EOFException("unexpected end of JSON input");
        }
        return readValue();
    }

    private int fill() throws IOException {
        if (pos < limit) {
            return limit - pos;
        }
        offset += limit;
        pos = 0;
        limit = 0;
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            return -1;
        }
        limit = n;
        return n;
    }

    private int peek() throws IOException {
        if (pos >= limit && fill() < 0) {
            return -1;
        }
        return buf[pos] & 0xff;
    }

    private int read() throws IOException {
        if (pos >= limit && fill() < 0) {
            return -1;
        }
        return buf[pos++] & 0xff;
    }

    private int skipWhitespace() throws IOException {
        while (true) {
            int c = peek();
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                pos++;
            } else {
                return c;
            }
        }
    }

    private IOException error(String message) {
        return new IOException(message + " at offset " + (offset + pos));
    }

    private Object readValue() throws IOException {
        int c = skipWhitespace();
        switch (c) {
            case '{':
                pos++;
                return readObject();
            case '[':
                pos++;
                return readArray();
            case '"':
                pos++;
                return readString();
            case 't':
                expectWord("true");
                return Boolean.TRUE;
            case 'f':
                expectWord("false");
                return Boolean.FALSE;
            case 'n':
                expectWord("null");
                return null;
            case -1:
                throw new java.io.EOFException("unexpected end of JSON input");
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return readNumber();
                }
                throw error("invalid character '" + (char) c + "' looking for beginning of value");
        }
    }

    private void expectWord(String word) throws IOException {
        for (int i = 0; i < word.length(); i++) {
            if (read() != word.charAt(i)) {
                throw error("invalid literal, expected " + word);
            }
        }
    }

    private Map<String, Object> readObject() throws IOException {
        Map<String, Object> map = new LinkedHashMap<>();
        int c = skipWhitespace();
        if (c == '}') {
            pos++;
            return map;
        }
        while (true) {
            if (skipWhitespace() != '"') {
                throw error("expected string for object key");
            }
            pos++;
            String key = readString();
            if (skipWhitespace() != ':') {
                throw error("expected ':' after object key");
            }
            pos++;
            map.put(key, readValue());
            c = skipWhitespace();
            pos++;
            if (c == '}') {
                return map;
            }
            if (c != ',') {
                throw error("expected ',' or '}' in object");
            }
        }
    }

    private List<Object> readArray() throws IOException {
        List<Object> list = new ArrayList<>();
        int c = skipWhitespace();
        if (c == ']') {
            pos++;
            return list;
        }
        while (true) {
            list.add(readValue());
            c = skipWhitespace();
            pos++;
            if (c == ']') {
                return list;
            }
            if (c != ',') {
                throw error("expected ',' or ']' in array");
            }
        }
    }

    private Object readNumber() throws IOException {
        StringBuilder sb = new StringBuilder(24);
        boolean integral = true;
        while (true) {
            int c = peek();
            if ((c >= '0' && c <= '9') || c == '-' || c == '+') {
                sb.append((char) c);
            } else if (c == '.' || c == 'e' || c == 'E') {
                integral = false;
                sb.append((char) c);
            } else {
                break;
            }
            pos++;
        }
        String text = sb.toString();
        try {
            if (integral) {
                try {
                    return Long.parseLong(text);
                } catch (NumberFormatException tooBig) {
                    return Double.parseDouble(text);
                }
            }
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw error("invalid number " + text);
        }
    }

    private String readString() throws IOException {
        // Fast path: plain ASCII without escapes straight from the buffer.
        int start = pos;
        while (pos < limit) {
            int b = buf[pos] & 0xff;
            if (b == '"') {
                String s = new String(buf, start, pos - start, StandardCharsets.ISO_8859_1);
                pos++;
                return s;
            }
            if (b == '\\' || b >= 0x80 || b < 0x20) {
                break;
            }
            pos++;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(16, pos - start + 16));
        bytes.write(buf, start, pos - start);
        while (true) {
            int b = read();
            if (b == -1) {
                throw new java.io.EOFException("unexpected end of JSON input in string");
            }
            if (b == '"') {
                break;
            }
            if (b != '\\') {
                bytes.write(b);
                continue;
            }
            int e = read();
            switch (e) {
                case '"': bytes.write('"'); break;
                case '\\': bytes.write('\\'); break;
                case '/': bytes.write('/'); break;
                case 'b': bytes.write('\b'); break;
                case 'f': bytes.write('\f'); break;
                case 'n': bytes.write('\n'); break;
                case 'r': bytes.write('\r'); break;
                case 't': bytes.write('\t'); break;
                case 'u': {
                    int cp = readHex4();
                    if (Character.isHighSurrogate((char) cp)) {
                        // A surrogate pair arrives as two escapes; decode them together.
                        if (peek() == '\\') {
                            pos++;
                            if (read() != 'u') {
                                throw error("invalid escape in string");
                            }
                            int low = readHex4();
                            cp = Character.toCodePoint((char) cp, (char) low);
                        }
                    }
                    byte[] enc = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                    bytes.write(enc, 0, enc.length);
                    break;
                }
                default:
                    throw error("invalid escape in string");
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private int readHex4() throws IOException {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int c = read();
            int d = Character.digit(c, 16);
            if (c == -1 || d < 0) {
                throw error("invalid \\u escape");
            }
            v = v * 16 + d;
        }
        return v;
    }
}
