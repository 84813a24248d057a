package keel.cli.internal.container.options;

/** A flag value docker would refuse; the message is the Go error text docker prints after "flag: ". */
public final class BadValue extends Exception {

    private static final long serialVersionUID = 1L;

    public BadValue(String message) {
        super(message);
    }
}
