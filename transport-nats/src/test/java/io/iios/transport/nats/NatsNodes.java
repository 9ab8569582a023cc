package io.iios.transport.nats;

import io.iios.testsupport.TestNodes;
import java.util.Map;

/** Real IIOS nodes on a NATS deployment, in a namespace of their own; closes them and deletes their bucket. */
final class NatsNodes extends TestNodes {

    /** @param settings {@code iios.nats.*} settings; @param cleanupUrl where to delete the bucket afterwards, or null */
    NatsNodes(Map<String, String> settings, String cleanupUrl) {
        super("nats", settings, cleanupUrl == null ? null : ns -> NatsTestSupport.deleteBucket(cleanupUrl, ns));
    }
}
