package io.iios.core.internal;

import io.iios.core.Config;
import io.iios.core.ConfigKeys;
import io.iios.core.internal.wire.Names;
import java.util.Optional;

/** Identity and wiring of a node: namespace, transport, encoder, node-name prefix. */
public record NodeOptions(String namespace, Optional<String> transport, String encoder, String nodeName) {

    public static NodeOptions from(Config c) {
        String ns = c.string(ConfigKeys.NAMESPACE);
        if (!Names.isName(ns)) {
            throw c.invalid(ConfigKeys.NAMESPACE.key(), ns, ConfigKeys.NAMESPACE.form());
        }
        String nodeName = c.get(ConfigKeys.NODE_NAME.key()).orElseGet(NodeOptions::hostName);
        if (!Names.isName(nodeName)) {
            if (c.get(ConfigKeys.NODE_NAME.key()).isPresent()) {
                throw c.invalid(ConfigKeys.NODE_NAME.key(), nodeName, ConfigKeys.NODE_NAME.form());
            }
            nodeName = "node";
        }
        return new NodeOptions(ns, c.get(ConfigKeys.TRANSPORT.key()), c.string(ConfigKeys.ENCODER), nodeName);
    }

    private static String hostName() {
        String h = System.getenv("HOSTNAME");
        if (h == null || h.isBlank()) {
            try {
                h = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                h = "node";
            }
        }
        String cleaned = h.replaceAll("[^A-Za-z0-9_-]", "-");
        return cleaned.isEmpty() || !Character.isLetter(cleaned.charAt(0)) ? "node-" + cleaned : cleaned;
    }
}
