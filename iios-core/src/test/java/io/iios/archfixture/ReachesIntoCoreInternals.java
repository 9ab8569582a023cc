package io.iios.archfixture;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.iios.core.internal.memory.MemoryTransportProvider;

/**
 * Deliberately breaks two architecture rules (it lives outside core yet uses a core internal class, and
 * exposes a Jackson type publicly), so that ArchitectureTest can prove its rules are not toothless.
 */
public final class ReachesIntoCoreInternals {

    public String memoryName() {
        return new MemoryTransportProvider().name();
    }

    public ObjectMapper mapper() {
        return new ObjectMapper();
    }
}
