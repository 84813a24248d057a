package keel.cli.internal.command;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * {@link SignalSource} on HotSpot's sun.misc.Signal (module jdk.unsupported), reached by reflection so the bundle
 * imports no internal package. One JVM handler per signal fans out to the subscribers; when the last one leaves the
 * handler that was there before is put back. Signals the JVM keeps for itself (QUIT, and the crash signals) are
 * refused by sun.misc.Signal and skipped; USR2 is HotSpot's thread suspend/resume signal on Linux, so it is never
 * taken over even though the JVM would allow it.
 */
public final class JvmSignals implements SignalSource {

    private static final JvmSignals INSTANCE = new JvmSignals();

    private final Map<String, Slot> slots = new HashMap<>();

    private static final class Slot {
        final List<Consumer<String>> handlers = new CopyOnWriteArrayList<>();
        Object previous;
    }

    private JvmSignals() {
    }

    public static JvmSignals get() {
        return INSTANCE;
    }

    @Override
    public Subscription subscribe(Collection<String> names, Consumer<String> handler) {
        List<String> taken = new ArrayList<>();
        synchronized (slots) {
            for (String name : names) {
                if (name.equals("USR2")) {
                    continue;
                }
                Slot slot = slots.get(name);
                if (slot == null) {
                    Slot fresh = new Slot();
                    try {
                        fresh.previous = install(name, fresh);
                    } catch (ReflectiveOperationException | RuntimeException refused) {
                        continue; // reserved by the JVM, or no sun.misc.Signal on this JVM
                    }
                    slots.put(name, fresh);
                    slot = fresh;
                }
                slot.handlers.add(handler);
                taken.add(name);
            }
        }
        return () -> {
            synchronized (slots) {
                for (String name : taken) {
                    Slot slot = slots.get(name);
                    if (slot == null) {
                        continue;
                    }
                    slot.handlers.remove(handler);
                    if (slot.handlers.isEmpty()) {
                        slots.remove(name);
                        try {
                            restore(name, slot.previous);
                        } catch (ReflectiveOperationException | RuntimeException ignored) {
                            // the process is ending anyway
                        }
                    }
                }
            }
        };
    }

    private static Class<?> signalClass;
    private static Class<?> handlerClass;
    private static Constructor<?> signalCtor;
    private static Method handle;
    private static Method getName;

    private static synchronized void init() throws ReflectiveOperationException {
        if (handle == null) {
            signalClass = Class.forName("sun.misc.Signal");
            handlerClass = Class.forName("sun.misc.SignalHandler");
            signalCtor = signalClass.getConstructor(String.class);
            getName = signalClass.getMethod("getName");
            handle = signalClass.getMethod("handle", signalClass, handlerClass);
        }
    }

    private static Object install(String name, Slot slot) throws ReflectiveOperationException {
        init();
        Object handler = Proxy.newProxyInstance(JvmSignals.class.getClassLoader(), new Class<?>[] {handlerClass},
                (proxy, method, args) -> {
                    if (method.getName().equals("handle") && args != null && args.length == 1) {
                        String n = (String) getName.invoke(args[0]);
                        for (Consumer<String> h : slot.handlers) {
                            h.accept(n);
                        }
                        return null;
                    }
                    if (method.getName().equals("hashCode")) {
                        return System.identityHashCode(proxy);
                    }
                    if (method.getName().equals("equals")) {
                        return proxy == args[0];
                    }
                    return method.getName().equals("toString") ? "keel signal handler " + name : null;
                });
        return handle.invoke(null, signalCtor.newInstance(name), handler);
    }

    private static void restore(String name, Object previous) throws ReflectiveOperationException {
        if (previous != null) {
            handle.invoke(null, signalCtor.newInstance(name), previous);
        }
    }
}
