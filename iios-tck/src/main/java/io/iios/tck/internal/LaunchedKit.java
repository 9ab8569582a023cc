package io.iios.tck.internal;

import io.iios.tck.TransportCompatibilityKit;
import io.iios.tck.TransportUnderTest;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;

/**
 * The kit as {@link io.iios.tck.TckLauncher} runs it. The launcher registers its target under a
 * random run id and passes the id as the JUnit configuration parameter {@value #RUN_KEY}; the
 * {@link Binder} extension hands the target to each kit instance. Concurrent runs do not mix, and the
 * target is removed when the run ends.
 */
@ExtendWith(LaunchedKit.Binder.class)
public final class LaunchedKit extends TransportCompatibilityKit {
    public static final String RUN_KEY = "iios.tck.run";
    private static final Map<String, TransportUnderTest> RUNS = new ConcurrentHashMap<>();

    private @Nullable TransportUnderTest target;

    /** Makes a target available to one run; returns the run id. */
    public static String register(TransportUnderTest target) {
        String id = UUID.randomUUID().toString();
        RUNS.put(id, target);
        return id;
    }

    public static void unregister(String runId) {
        RUNS.remove(runId);
    }

    @Override
    protected TransportUnderTest transport() {
        TransportUnderTest t = target;
        if (t == null) {
            throw new IllegalStateException("LaunchedKit runs only through TckLauncher (no target was bound)");
        }
        return t;
    }

    /** Binds the run's target to each LaunchedKit instance JUnit creates. */
    static final class Binder implements TestInstancePostProcessor {
        @Override
        public void postProcessTestInstance(Object instance, ExtensionContext context) {
            if (instance instanceof LaunchedKit kit) {
                String id = context.getConfigurationParameter(RUN_KEY).orElseThrow(() -> new IllegalStateException(
                        "configuration parameter " + RUN_KEY + " is missing; run the kit through TckLauncher"));
                TransportUnderTest t = RUNS.get(id);
                if (t == null) {
                    throw new IllegalStateException("no target registered for TCK run " + id);
                }
                kit.target = t;
            }
        }
    }
}
