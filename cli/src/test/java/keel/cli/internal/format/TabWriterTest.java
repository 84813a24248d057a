package keel.cli.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Go text/tabwriter semantics with docker's table settings (minwidth 10, padding 3). */
class TabWriterTest {

    private static String table(String text) {
        StringBuilder out = new StringBuilder();
        TabWriter tw = new TabWriter(out, 10, 3);
        tw.write(text);
        tw.flush();
        return out.toString();
    }

    @Test
    void columnsAreWidestCellPlusThreeButAtLeastTen() {
        assertEquals("A          B\n"
                + "longer-a   x\n"
                + "c          yy\n", table("A\tB\nlonger-a\tx\nc\tyy\n"));
        assertEquals("ID        NAME\n"
                + "1         n\n", table("ID\tNAME\n1\tn\n"));
    }

    @Test
    void lastCellIsNotPaddedButEmptyTrailingCellsAre() {
        // docker history: an empty COMMENT still pads the SIZE column before it.
        assertEquals("SIZE      COMMENT\n"
                + "0B        \n", table("SIZE\tCOMMENT\n0B\t\n"));
    }

    @Test
    void aLineWithoutTabsEndsTheBlock() {
        assertEquals("a         b\n"
                + "plain line\n"
                + "cccccccccccc   d\n", table("a\tb\nplain line\ncccccccccccc\td\n"));
    }

    @Test
    void wideCharactersCountTwoColumns() {
        assertEquals("名前      x\n"
                + "abc       y\n", table("名前\tx\nabc\ty\n"));
    }

    @Test
    void versionLayoutUsesMinWidthTwentyPaddingOne() {
        StringBuilder out = new StringBuilder();
        TabWriter tw = new TabWriter(out, 20, 1);
        tw.write("Client:\n Version:\t1.0\n API version:\t1.50\n");
        tw.flush();
        assertEquals("Client:\n Version:           1.0\n API version:       1.50\n", out.toString());
    }
}
