package keel.cli.internal.format;

import java.util.List;

/**
 * A method of a Go struct as templates call it: {@code {{.Label "com.example"}}} on docker's ContainerContext.
 * Methods without arguments read like fields, and docker's MarshalJSON includes their results.
 */
public interface GoMethod {

    int arity();

    Object call(List<Object> args) throws TemplateException;

    /** A method of no arguments. */
    static GoMethod of(java.util.function.Supplier<Object> body) {
        return new GoMethod() {
            @Override
            public int arity() {
                return 0;
            }

            @Override
            public Object call(List<Object> args) {
                return body.get();
            }
        };
    }
}
