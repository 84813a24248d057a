package keel.cli.internal.command;

/** A terminal's size in character cells, as {@code stty size} prints it: rows first. */
public record TerminalSize(int rows, int columns) {
}
