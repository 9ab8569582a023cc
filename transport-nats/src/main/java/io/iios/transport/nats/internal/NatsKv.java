package io.iios.transport.nats.internal;

import io.iios.spi.Channel;
import io.iios.spi.KvListener;
import io.iios.spi.KvListener.Change;
import io.iios.spi.KvStore;
import io.iios.spi.Subscription;
import io.iios.spi.TransportException;
import io.iios.spi.TransportListener;
import io.iios.transport.nats.NatsOptions;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.KeyValueManagement;
import io.nats.client.KeyValueOptions;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueStatus;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StorageType;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.nats.client.JetStreamOptions;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * {@link KvStore} on the JetStream KeyValue bucket {@code iios-NAMESPACE} (stream {@code KV_iios-NAMESPACE},
 * subjects {@code $KV.iios-NAMESPACE.KEY}), in the KeyValue layout so {@code nats kv} reads it.
 *
 * <p>Time-to-live is per key and works on any JetStream server: a value written with a TTL carries the header
 * {@code Iios-Ttl: MILLIS}; it is expired once the server's store time plus the TTL has passed. Readers treat an
 * expired value as absent, and whoever notices the expiry first (a watch's timer, a get, a keys listing) writes
 * a purge marker with the header {@code Iios-Expired: true}, guarded by the value's revision so only one client
 * wins and a rewritten key is never purged; watches report that marker as {@link Change#EXPIRE}.
 * Compare-and-set uses the revision checks of JetStream ({@code Nats-Expected-Last-Subject-Sequence}).
 */
final class NatsKv implements KvStore {
    static final String TTL_HEADER = "Iios-Ttl";
    static final String EXPIRED_HEADER = "Iios-Expired";
    static final String OPERATION_HEADER = "KV-Operation";
    static final int CAS_ATTEMPTS = 20;

    private final NatsTransport transport;
    private final Connection connection;
    private final NatsOptions options;
    private final String bucket;
    private final String namespace;
    private final String stream;
    private final String subjectPrefix;
    private final TransportListener listener;
    private final Set<Subscription> open;
    private final JetStream js;
    private final JetStreamManagement jsm;
    private final KeyValueManagement kvm;
    private final ReentrantLock initLock = new ReentrantLock();
    private volatile boolean ready;

    NatsKv(NatsTransport transport, Connection connection, NatsOptions options, String bucket, String namespace,
            TransportListener listener, Set<Subscription> open) {
        this.transport = transport;
        this.connection = connection;
        this.options = options;
        this.bucket = bucket;
        this.namespace = namespace;
        this.stream = "KV_" + bucket;
        this.subjectPrefix = "$KV." + bucket + ".";
        this.listener = listener;
        this.open = open;
        JetStreamOptions jso = JetStreamOptions.builder().requestTimeout(options.timeout()).build();
        try {
            this.js = connection.jetStream(jso);
            this.jsm = connection.jetStreamManagement(jso);
            this.kvm = connection.keyValueManagement(KeyValueOptions.builder().jetStreamOptions(jso).build());
        } catch (java.io.IOException e) {
            throw NatsErrors.wrap("opening JetStream", e);
        }
    }

    String bucket() {
        return bucket;
    }

    // ---------------------------------------------------------------- the bucket

    /** Creates the bucket on first use, or checks that an existing one fits. */
    private void ensureBucket() {
        if (ready) {
            return;
        }
        initLock.lock();
        try {
            if (ready) {
                return;
            }
            KeyValueStatus status;
            try {
                status = kvm.getStatus(bucket);
            } catch (JetStreamApiException e) {
                if (NatsErrors.apiCode(e) != NatsErrors.STREAM_NOT_FOUND) {
                    throw e;
                }
                status = create();
            }
            verify(status);
            ready = true;
        } catch (Exception e) {
            throw NatsErrors.wrap("opening KV bucket " + bucket, e);
        } finally {
            initLock.unlock();
        }
    }

    private KeyValueStatus create() throws Exception {
        KeyValueConfiguration cfg = KeyValueConfiguration.builder()
                .name(bucket)
                .description("IIOS namespace " + namespace + " (iios-transport-nats)")
                .maxHistoryPerKey(1)
                .storageType(storage())
                .replicas(options.kvReplicas())
                .build();
        try {
            return kvm.create(cfg);
        } catch (JetStreamApiException e) {
            // created meanwhile by another client (with the same settings the create is idempotent)
            return kvm.getStatus(bucket);
        }
    }

    private StorageType storage() {
        return options.kvStorage() == NatsOptions.Storage.MEMORY ? StorageType.Memory : StorageType.File;
    }

    private void verify(KeyValueStatus s) {
        List<String> wrong = new ArrayList<>();
        Duration maxAge = s.getTtl();
        if (maxAge != null && !maxAge.isZero()) {
            wrong.add("max age " + maxAge + " (keys without a TTL would expire; this transport needs none)");
        }
        if (s.getStorageType() != storage()) {
            wrong.add("storage " + s.getStorageType() + " (" + NatsOptions.KV_STORAGE + " asks for " + storage() + ")");
        }
        if (s.getReplicas() != options.kvReplicas()) {
            wrong.add("replicas " + s.getReplicas() + " (" + NatsOptions.KV_REPLICAS + " asks for "
                    + options.kvReplicas() + ")");
        }
        if (!wrong.isEmpty()) {
            throw new TransportException("the NATS KV bucket '" + bucket + "' of namespace '" + namespace
                    + "' already exists with other settings: " + String.join("; ", wrong)
                    + ". Delete it (nats kv rm " + bucket + ") or change the settings to match");
        }
    }

    // ---------------------------------------------------------------- entries

    /** The last message of a key, as this transport reads it. */
    record Entry(long revision, byte @Nullable [] value, boolean live, boolean expired) {
    }

    private String subject(String key) {
        return subjectPrefix + NatsNames.toKey(Channel.requireChannel(key));
    }

    private @Nullable Entry read(String subject) throws Exception {
        MessageInfo mi;
        try {
            mi = jsm.getLastMessage(stream, subject);
        } catch (JetStreamApiException e) {
            if (NatsErrors.apiCode(e) == NatsErrors.NO_MESSAGE || e.getErrorCode() == 404) {
                return null;
            }
            throw e;
        }
        Headers h = mi.getHeaders();
        if (h != null && h.getFirst(OPERATION_HEADER) != null) {
            return new Entry(mi.getSeq(), null, false, false);
        }
        if (isExpired(h, mi.getTime())) {
            expireLater(subject, mi.getSeq());
            return new Entry(mi.getSeq(), null, false, true);
        }
        byte[] data = mi.getData();
        return new Entry(mi.getSeq(), data == null ? new byte[0] : data, true, false);
    }

    private static long ttlMillis(@Nullable Headers h) {
        String ttl = h == null ? null : h.getFirst(TTL_HEADER);
        if (ttl == null) {
            return -1;
        }
        try {
            return Long.parseLong(ttl);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean isExpired(@Nullable Headers h, @Nullable ZonedDateTime stored) {
        long ttl = ttlMillis(h);
        return ttl >= 0 && stored != null && stored.toInstant().toEpochMilli() + ttl <= System.currentTimeMillis();
    }

    private <T> T call(String what, Op<T> op) {
        transport.check(what);
        ensureBucket();
        try {
            return op.run();
        } catch (Exception e) {
            throw NatsErrors.wrap(what, e);
        }
    }

    @FunctionalInterface
    private interface Op<T> {
        T run() throws Exception;
    }

    private static Message message(String subject, byte[] value, @Nullable Duration ttl) {
        NatsMessage.Builder b = NatsMessage.builder().subject(subject).data(value);
        if (ttl != null) {
            b.headers(new Headers().put(TTL_HEADER, Long.toString(Math.max(1, NatsTransport.millis(ttl)))));
        }
        return b.build();
    }

    @Override
    public Optional<byte[]> get(String key) {
        String subject = subject(key);
        return call("get " + key, () -> {
            Entry e = read(subject);
            return e == null || !e.live() ? Optional.<byte[]>empty() : Optional.ofNullable(e.value());
        });
    }

    @Override
    public void put(String key, byte[] value, @Nullable Duration ttl) {
        String subject = subject(key);
        byte[] copy = value.clone();
        call("put " + key, () -> js.publish(message(subject, copy, ttl)));
    }

    @Override
    public boolean putIfAbsent(String key, byte[] value, @Nullable Duration ttl) {
        String subject = subject(key);
        byte[] copy = value.clone();
        return call("putIfAbsent " + key, () -> {
            for (int i = 0; i < CAS_ATTEMPTS; i++) {
                Entry e = read(subject);
                if (e != null && e.live()) {
                    return false;
                }
                long expected = e == null ? 0 : e.revision();
                try {
                    js.publish(message(subject, copy, ttl),
                            PublishOptions.builder().expectedLastSubjectSequence(expected).build());
                    return true;
                } catch (JetStreamApiException ex) {
                    if (NatsErrors.apiCode(ex) != NatsErrors.WRONG_LAST_SEQUENCE) {
                        throw ex;
                    }
                    // someone wrote meanwhile: read again (a live value means we lost)
                }
            }
            throw new TransportException("putIfAbsent " + key + ": the key kept changing during " + CAS_ATTEMPTS
                    + " attempts");
        });
    }

    @Override
    public boolean delete(String key) {
        String subject = subject(key);
        return call("delete " + key, () -> {
            for (int i = 0; i < CAS_ATTEMPTS; i++) {
                Entry e = read(subject);
                if (e == null || !e.live()) {
                    return false;
                }
                Message marker = NatsMessage.builder().subject(subject)
                        .headers(new Headers().put(OPERATION_HEADER, "DEL")).data(new byte[0]).build();
                try {
                    js.publish(marker, PublishOptions.builder().expectedLastSubjectSequence(e.revision()).build());
                    return true;
                } catch (JetStreamApiException ex) {
                    if (NatsErrors.apiCode(ex) != NatsErrors.WRONG_LAST_SEQUENCE) {
                        throw ex;
                    }
                }
            }
            throw new TransportException("delete " + key + ": the key kept changing during " + CAS_ATTEMPTS + " attempts");
        });
    }

    /** Writes the expiry marker of a value unless the key changed since (best effort, asynchronous). */
    void expireLater(String subject, long revision) {
        if (transport.isClosed() || !transport.connected()) {
            return;
        }
        Message marker = NatsMessage.builder().subject(subject).headers(new Headers()
                .put(OPERATION_HEADER, "PURGE").put("Nats-Rollup", "sub").put(EXPIRED_HEADER, "true"))
                .data(new byte[0]).build();
        try {
            js.publishAsync(marker, PublishOptions.builder().expectedLastSubjectSequence(revision).build());
        } catch (RuntimeException e) {
            // another reader or a later write wins; the value stays invisible to readers meanwhile
        }
    }

    /** The subject filter covering a prefix, and the KV-key prefix every listed key must start with. */
    private record Filter(String subject, String keyPrefix) {
    }

    private Filter filter(String prefix) {
        String kvPrefix = NatsNames.toKeyPrefix(prefix);
        int dot = kvPrefix.lastIndexOf('.');
        String tokens = dot < 0 ? "" : kvPrefix.substring(0, dot + 1);
        return new Filter(subjectPrefix + tokens + ">", kvPrefix);
    }

    @Override
    public List<String> keys(String prefix) {
        Filter f = filter(prefix);
        return call("keys " + prefix, () -> {
            List<String> out = new ArrayList<>();
            ConsumerConfiguration cc = ConsumerConfiguration.builder().ackPolicy(AckPolicy.None)
                    .deliverPolicy(DeliverPolicy.LastPerSubject).headersOnly(true).build();
            JetStreamSubscription sub = js.subscribe(f.subject(),
                    PushSubscribeOptions.builder().stream(stream).ordered(true).configuration(cc).build());
            try {
                long pending = sub.getConsumerInfo().getCalculatedPending();
                boolean lastWasNull = false;
                while (pending > 0) {
                    Message m = sub.nextMessage(options.timeout());
                    if (m == null) {
                        if (lastWasNull) {
                            throw new java.util.concurrent.TimeoutException("listing stalled");
                        }
                        lastWasNull = true;
                        continue;
                    }
                    lastWasNull = false;
                    if (m.isJetStream()) {
                        String kvKey = m.getSubject().substring(subjectPrefix.length());
                        Headers h = m.getHeaders();
                        if (kvKey.startsWith(f.keyPrefix()) && (h == null || h.getFirst(OPERATION_HEADER) == null)) {
                            if (isExpired(h, m.metaData().timestamp())) {
                                expireLater(m.getSubject(), m.metaData().streamSequence());
                            } else {
                                try {
                                    out.add(NatsNames.fromKey(kvKey));
                                } catch (IllegalArgumentException notOurs) {
                                    // a key written by another tool, outside this mapping
                                }
                            }
                        }
                        if (m.metaData().pendingCount() == 0) {
                            pending = 0;
                        }
                    }
                }
            } finally {
                sub.unsubscribe();
            }
            return out;
        });
    }

    // ---------------------------------------------------------------- watch

    @Override
    public Subscription watch(String prefix, KvListener kvListener) {
        Filter f = filter(prefix);
        return call("watch " + prefix, () -> {
            long startSeq = jsm.getStreamInfo(stream).getStreamState().getLastSequence();
            KvWatch w = new KvWatch(prefix, f.keyPrefix(), kvListener, startSeq);
            Dispatcher d = connection.createDispatcher();
            w.dispatcher = d;
            ConsumerConfiguration cc = ConsumerConfiguration.builder().ackPolicy(AckPolicy.None)
                    .deliverPolicy(DeliverPolicy.LastPerSubject).build();
            try {
                js.subscribe(f.subject(), d, w::onMessage, false,
                        PushSubscribeOptions.builder().stream(stream).ordered(true).configuration(cc).build());
            } catch (Exception e) {
                connection.closeDispatcher(d);
                throw e;
            }
            open.add(w);
            return w;
        });
    }

    /**
     * One watch: an ordered push consumer on the bucket's subjects under the prefix, handled on its own
     * dispatcher thread (in order, off the reader thread). Values already there when the watch starts are not
     * reported, but their TTLs are tracked so their expiry is.
     */
    private final class KvWatch implements Subscription {
        final String prefix;
        final String keyPrefix;
        final KvListener kvListener;
        final long startSeq;
        final Map<String, Long> latest = new ConcurrentHashMap<>();
        volatile @Nullable Dispatcher dispatcher;
        volatile boolean closed;
        final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();

        KvWatch(String prefix, String keyPrefix, KvListener kvListener, long startSeq) {
            this.prefix = prefix;
            this.keyPrefix = keyPrefix;
            this.kvListener = kvListener;
            this.startSeq = startSeq;
        }

        void onMessage(Message m) {
            if (closed || !m.isJetStream()) {
                return;
            }
            String subject = m.getSubject();
            String kvKey = subject.substring(subjectPrefix.length());
            if (!kvKey.startsWith(keyPrefix)) {
                return;
            }
            String key;
            try {
                key = NatsNames.fromKey(kvKey);
            } catch (IllegalArgumentException notOurs) {
                return;
            }
            long seq = m.metaData().streamSequence();
            boolean initial = seq <= startSeq;
            Headers h = m.getHeaders();
            String op = h == null ? null : h.getFirst(OPERATION_HEADER);
            if (op == null) {
                latest.put(kvKey, seq);
                long ttl = ttlMillis(h);
                if (ttl >= 0) {
                    long delay = m.metaData().timestamp().toInstant().toEpochMilli() + ttl - System.currentTimeMillis();
                    scheduleExpiry(subject, kvKey, seq, Math.max(0, delay));
                }
                if (!initial) {
                    byte[] data = m.getData();
                    deliver(key, Change.PUT, data == null ? new byte[0] : data);
                }
            } else {
                latest.remove(kvKey);
                if (!initial) {
                    deliver(key, h.getFirst(EXPIRED_HEADER) != null ? Change.EXPIRE : Change.DELETE, null);
                }
            }
        }

        private void scheduleExpiry(String subject, String kvKey, long seq, long delayMillis) {
            try {
                transport.timer().schedule(() -> {
                    Long now = latest.get(kvKey);
                    if (closed || now == null || now != seq) {
                        return;
                    }
                    if (transport.connected()) {
                        expireLater(subject, seq);
                    }
                    // check again later: if the marker did not arrive (broker down, publish lost), try again
                    scheduleExpiry(subject, kvKey, seq, 1000);
                }, delayMillis, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // transport closed
            }
        }

        private void deliver(String key, Change change, byte @Nullable [] value) {
            try {
                kvListener.onChange(key, change, value);
            } catch (Throwable t) {
                listener.onError("kv watch " + prefix, t);
            }
        }

        @Override
        public void close() {
            if (!closing.compareAndSet(false, true)) {
                return;
            }
            closed = true;
            open.remove(this);
            Dispatcher d = dispatcher;
            if (d != null) {
                try {
                    connection.closeDispatcher(d);
                } catch (RuntimeException e) {
                    if (!transport.isClosed()) {
                        listener.onError("closing kv watch " + prefix, e);
                    }
                }
            }
        }
    }
}
