package keel.cli.internal.format;

/** A template that does not parse or does not execute; the message is in Go's text/template wording. */
public class TemplateException extends Exception {

    private static final long serialVersionUID = 1L;

    public TemplateException(String message) {
        super(message);
    }
}
