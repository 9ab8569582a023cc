package io.iios.transport.http;

import io.iios.spi.Capability;
import io.iios.spi.Transport;
import io.iios.spi.TransportConfig;
import io.iios.spi.TransportProvider;
import io.iios.transport.http.internal.HttpTransport;
import java.util.Set;

/**
 * The broker-less {@code http} transport: nodes keep their records and relay their messages through
 * discovery servers ({@code iios.discovery.servers}, or {@code iios.discovery.server=true} on the node
 * that is one), and call each other straight over HTTP. Declares {@link Capability#KV_TTL} and
 * {@link Capability#KV_CAS}; not {@link Capability#KV_WATCH} (discovery polls) nor
 * {@link Capability#QUEUE_GROUPS}. Used only when {@code iios.transport=http} names it, since its jar
 * is also added to nodes on a broker for the HTTP route and gateway. See {@code docs/http.md}.
 */
public final class HttpTransportProvider implements TransportProvider {

    @Override
    public String name() {
        return HttpTransport.NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return HttpTransport.CAPABILITIES;
    }

    @Override
    public Set<String> configKeys() {
        return HttpOptions.KEYS;
    }

    @Override
    public boolean selectedImplicitly() {
        return false;
    }

    @Override
    public Transport create(TransportConfig config) {
        return new HttpTransport(config);
    }
}
