package keel.engine.core.internal.container.output;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import keel.engine.api.logging.LogEntry;

/** The log copier's line rules, as Docker's daemon/logger/copier.go applies them. */
class LineSplitterTest {

    private final AtomicLong clock = new AtomicLong(1000);
    private final List<LogEntry> out = new ArrayList<>();
    private final LineSplitter splitter = new LineSplitter("stdout");

    private void feed(String s) {
        feed(s.getBytes(StandardCharsets.UTF_8));
    }

    private void feed(byte[] b) {
        splitter.feed(b, 0, b.length, clock::incrementAndGet, out::add);
    }

    private List<String> lines() {
        return out.stream().map(e -> new String(e.line(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void completeLinesKeepTheirNewline() {
        feed("one\ntwo\n");
        assertEquals(List.of("one\n", "two\n"), lines());
        assertEquals("stdout", out.get(0).stream());
        assertEquals(0, splitter.pendingLength());
    }

    @Test
    void carriageReturnIsContent() {
        feed("dos\r\nline\r\n");
        assertEquals(List.of("dos\r\n", "line\r\n"), lines());
    }

    @Test
    void anUnfinishedLineWaitsForTheRest() {
        feed("hel");
        assertEquals(List.of(), lines());
        assertEquals(3, splitter.pendingLength());
        feed("lo\nwor");
        assertEquals(List.of("hello\n"), lines());
        feed("ld\n");
        assertEquals(List.of("hello\n", "world\n"), lines());
    }

    @Test
    void emptyLinesAreMessages() {
        feed("\n\na\n");
        assertEquals(List.of("\n", "\n", "a\n"), lines());
    }

    @Test
    void aLineThatFitsTheBufferWithItsNewlineIsOneMessage() {
        byte[] line = new byte[LineSplitter.MAX_MESSAGE];
        Arrays.fill(line, (byte) 'x');
        line[line.length - 1] = '\n';
        feed(line);
        assertEquals(1, out.size());
        assertArrayEquals(line, out.get(0).line());
    }

    @Test
    void aLongerLineIsCutIn16KiBPiecesStampedWithTheFirstPiecesTime() {
        int content = LineSplitter.MAX_MESSAGE * 2 + 100;
        byte[] line = new byte[content + 1];
        Arrays.fill(line, (byte) 'y');
        line[content] = '\n';
        // fed in odd chunks, as reads return them
        for (int i = 0; i < line.length; i += 1000) {
            splitter.feed(line, i, Math.min(1000, line.length - i), clock::incrementAndGet, out::add);
        }
        assertEquals(3, out.size());
        assertEquals(LineSplitter.MAX_MESSAGE, out.get(0).line().length);
        assertEquals(LineSplitter.MAX_MESSAGE, out.get(1).line().length);
        assertEquals(101, out.get(2).line().length);
        assertEquals('\n', out.get(2).line()[100]);
        assertEquals(out.get(0).timeNanos(), out.get(1).timeNanos());
        assertEquals(out.get(0).timeNanos(), out.get(2).timeNanos());
        feed("next\n");
        assertEquals(4, out.size()); // the following line is stamped anew
        assertEquals(true, out.get(3).timeNanos() > out.get(2).timeNanos());
    }

    @Test
    void exactlyBufferSizeContentThenNewlineGivesAnEmptyFinalPiece() {
        byte[] content = new byte[LineSplitter.MAX_MESSAGE];
        Arrays.fill(content, (byte) 'z');
        feed(content);
        assertEquals(1, out.size(), "the full buffer goes as a partial message");
        feed("\n");
        assertEquals(2, out.size());
        assertEquals("\n", new String(out.get(1).line(), StandardCharsets.UTF_8));
        assertEquals(out.get(0).timeNanos(), out.get(1).timeNanos());
    }

    @Test
    void flushPassesAnUnfinishedLineOnWithoutNewline() {
        feed("no newline at the end");
        splitter.flush(clock::incrementAndGet, out::add);
        assertEquals(List.of("no newline at the end"), lines());
        assertEquals(0, splitter.pendingLength());
        splitter.flush(clock::incrementAndGet, out::add);
        assertEquals(1, out.size(), "nothing more to flush");
    }
}
