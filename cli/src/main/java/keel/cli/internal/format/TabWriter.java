package keel.cli.internal.format;

import java.util.ArrayList;
import java.util.List;

/**
 * Go's text/tabwriter (as forked by docker/cli): cells end at a tab; consecutive lines that share a column form a
 * block whose width is the widest cell plus padding (at least {@code minWidth}); the text after a line's last tab
 * is not aligned. A line without tabs ends every block. docker prints tables with (10, 1, 3, ' ') and
 * {@code docker version} with (20, 1, 1, ' ').
 */
public final class TabWriter {

    private static final class Cell {
        final String text;
        final int width;
        final boolean htab;

        Cell(String text, boolean htab) {
            this.text = text;
            this.width = DisplayWidth.of(text);
            this.htab = htab;
        }
    }

    private final StringBuilder out;
    private final int minWidth;
    private final int padding;
    private final List<List<Cell>> lines = new ArrayList<>();
    private final StringBuilder cell = new StringBuilder();
    private final List<Integer> widths = new ArrayList<>();

    public TabWriter(StringBuilder out, int minWidth, int padding) {
        this.out = out;
        this.minWidth = minWidth;
        this.padding = padding;
        lines.add(new ArrayList<>());
    }

    public TabWriter write(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\t' || c == '\n' || c == '\u000b' || c == '\f') {
                int ncells = terminateCell(c == '\t');
                if (c == '\n' || c == '\f') {
                    lines.add(new ArrayList<>());
                    if (c == '\f' || ncells == 1) {
                        // A line with a single cell cannot affect column widths: everything so far is final.
                        format();
                    }
                }
            } else {
                cell.append(c);
            }
        }
        return this;
    }

    private int terminateCell(boolean htab) {
        List<Cell> line = lines.get(lines.size() - 1);
        line.add(new Cell(cell.toString(), htab));
        cell.setLength(0);
        return line.size();
    }

    public void flush() {
        if (cell.length() > 0) {
            terminateCell(false);
        }
        format();
    }

    private void format() {
        format(0, lines.size());
        lines.clear();
        lines.add(new ArrayList<>());
        widths.clear();
    }

    private void format(int line0, int line1) {
        int column = widths.size();
        for (int current = line0; current < line1; current++) {
            List<Cell> line = lines.get(current);
            if (column >= line.size() - 1) {
                continue;
            }
            // This line has a cell in this column: a new block starts here.
            writeLines(line0, current);
            line0 = current;
            int width = minWidth;
            for (; current < line1; current++) {
                line = lines.get(current);
                if (column >= line.size() - 1) {
                    break;
                }
                Cell c = line.get(column);
                width = Math.max(width, c.width + padding);
            }
            widths.add(width);
            format(line0, current);
            widths.remove(widths.size() - 1);
            line0 = current;
        }
        writeLines(line0, line1);
    }

    private void writeLines(int line0, int line1) {
        for (int i = line0; i < line1; i++) {
            List<Cell> line = lines.get(i);
            for (int j = 0; j < line.size(); j++) {
                Cell c = line.get(j);
                out.append(c.text);
                if (j < widths.size()) {
                    for (int k = c.width; k < widths.get(j); k++) {
                        out.append(' ');
                    }
                }
            }
            if (i + 1 == lines.size()) {
                out.append(cell);
                cell.setLength(0);
            } else {
                out.append('\n');
            }
        }
    }
}
