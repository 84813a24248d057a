package keel.cli.internal.container.options;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * docker's kvfile (--env-file, --label-file): one KEY=value per line, leading whitespace dropped, '#' comments and
 * blank lines skipped, a KEY alone takes its value from the local environment (and is left out when unset there).
 * Nothing else is interpreted: quotes and trailing spaces are part of the value.
 */
public final class KeyValueFile {

    private KeyValueFile() {
    }

    /** {@code lookup} gives a variable's local value or null; null as lookup keeps bare keys out entirely. */
    public static List<String> parse(String filename, Function<String, String> lookup) throws BadValue {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(Path.of(filename));
        } catch (NoSuchFileException e) {
            throw new BadValue("open " + filename + ": no such file or directory");
        } catch (AccessDeniedException e) {
            throw new BadValue("open " + filename + ": permission denied");
        } catch (IOException e) {
            if (Files.isDirectory(Path.of(filename))) {
                throw new BadValue("invalid env file (" + filename + "): read " + filename + ": is a directory");
            }
            throw new BadValue("open " + filename + ": " + e.getMessage());
        }
        List<String> out = new ArrayList<>();
        int lineNo = 0;
        int start = 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            lineNo++;
            int stop = end;
            if (stop > start && bytes[stop - 1] == '\r') {
                stop--; // bufio.ScanLines drops a CR before the LF
            }
            String line;
            try {
                line = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes, start, stop - start)).toString();
            } catch (CharacterCodingException e) {
                throw new BadValue("invalid env file (" + filename + "): invalid utf8 bytes at line " + lineNo);
            }
            start = end + 1;
            if (lineNo == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            int lead = 0;
            while (lead < line.length() && Character.isWhitespace(line.charAt(lead))) {
                lead++;
            }
            line = line.substring(lead);
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            int eq = line.indexOf('=');
            String key = eq < 0 ? line : line.substring(0, eq);
            if (key.isEmpty()) {
                throw new BadValue("invalid env file (" + filename + "): no variable name on line '" + line + "'");
            }
            if (key.indexOf(' ') >= 0 || key.indexOf('\t') >= 0) {
                throw new BadValue("invalid env file (" + filename + "): variable '" + key + "' contains whitespaces");
            }
            if (eq >= 0) {
                out.add(line);
            } else if (lookup != null) {
                String value = lookup.apply(line);
                if (value != null) {
                    out.add(key + "=" + value);
                }
            }
        }
        return out;
    }
}
