package keel.cli.internal.command;

/** A terminal put in raw mode; {@link #restore()} puts back what was there before, once. */
public interface RawMode {

    /** For terminals that were never changed. */
    RawMode NONE = () -> {
    };

    void restore();
}
