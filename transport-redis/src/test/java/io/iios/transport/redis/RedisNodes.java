package io.iios.transport.redis;

import io.iios.testsupport.TestNodes;
import java.util.Map;

/** Real IIOS nodes on a Redis deployment, in a namespace of their own; closes them and deletes their keys. */
final class RedisNodes extends TestNodes {

    /** @param settings {@code iios.redis.*} settings; @param cleanupUri where to delete keys afterwards, or null */
    RedisNodes(Map<String, String> settings, String cleanupUri) {
        super("redis", settings, cleanupUri == null ? null : ns -> RedisTestSupport.deleteNamespace(cleanupUri, ns));
    }
}
