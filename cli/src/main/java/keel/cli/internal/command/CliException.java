package keel.cli.internal.command;

/**
 * An error that ends the command with a message on stderr and an exit code, as docker's cli.StatusError: usage
 * errors exit 125 (flag errors) or 1 (argument counts), daemon and I/O errors 1.
 */
public class CliException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CliException(String message) {
        this(1, message);
    }

    public int exitCode() {
        return exitCode;
    }
}
