package keel.engine.core.internal.container;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;

/** Copies of records with a few components changed by name: tests need only a handful of HostConfig's fields. */
final class Records {

    private Records() {}

    @SuppressWarnings("unchecked")
    static <R extends Record> R with(R record, Object... nameValues) {
        try {
            RecordComponent[] components = record.getClass().getRecordComponents();
            Object[] values = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                values[i] = components[i].getAccessor().invoke(record);
            }
            for (int i = 0; i < nameValues.length; i += 2) {
                boolean found = false;
                for (int c = 0; c < components.length; c++) {
                    if (components[c].getName().equals(nameValues[i])) {
                        values[c] = nameValues[i + 1];
                        found = true;
                    }
                }
                if (!found) {
                    throw new IllegalArgumentException("no component " + nameValues[i]);
                }
            }
            Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
            Constructor<?> ctor = record.getClass().getDeclaredConstructor(types);
            return (R) ctor.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
