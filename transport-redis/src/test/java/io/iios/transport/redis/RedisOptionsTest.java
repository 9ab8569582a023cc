package io.iios.transport.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iios.spi.TransportException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RedisOptionsTest {

    @Test
    @DisplayName("defaults: standalone on 127.0.0.1:6379, db 0, no TLS")
    void defaults() {
        RedisOptions o = RedisOptions.from(Map.of());
        assertThat(o.topology()).isEqualTo(RedisOptions.Topology.STANDALONE);
        assertThat(o.uri().getHost()).isEqualTo("127.0.0.1");
        assertThat(o.database()).isZero();
        assertThat(o.tls()).isFalse();
        assertThat(o.poolSize()).isEqualTo(16);
        assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(o.watch()).isEqualTo(RedisOptions.WatchMode.AUTO);
    }

    @Test
    @DisplayName("URI with user, password, db and TLS; the password never shows in toString")
    void uri() {
        RedisOptions o = RedisOptions.from(Map.of("iios.redis.uri", "rediss://app:s3cr%40t@redis.example:6380/3"));
        assertThat(o.tls()).isTrue();
        assertThat(o.user()).isEqualTo("app");
        assertThat(o.password()).isEqualTo("s3cr@t");
        assertThat(o.database()).isEqualTo(3);
        assertThat(o.toString()).doesNotContain("s3cr");
        assertThat(RedisOptions.from(Map.of("iios.redis.uri", "redis://onlypass@h:1")).password()).isEqualTo("onlypass");
    }

    @Test
    @DisplayName("Sentinel and Cluster are selected by their keys")
    void topologies() {
        RedisOptions s = RedisOptions.from(Map.of("iios.redis.sentinels", "a:26379, b:26379", "iios.redis.master", "m"));
        assertThat(s.topology()).isEqualTo(RedisOptions.Topology.SENTINEL);
        assertThat(s.sentinels()).containsExactly("a:26379", "b:26379");
        RedisOptions c = RedisOptions.from(Map.of("iios.redis.cluster", "n1:7000,n2:7000"));
        assertThat(c.topology()).isEqualTo(RedisOptions.Topology.CLUSTER);
        assertThat(c.shardedChannels()).containsExactly("*:_rpc:>", "*:_reply:>", "*:_stream:>");
        assertThat(RedisOptions.from(Map.of("iios.redis.sharded-channels", "none")).shardedChannels()).isEmpty();
        assertThat(RedisOptions.from(Map.of("iios.redis.sharded-channels", " app:jobs:* ,app:_rpc:>"))
                .shardedChannels()).containsExactly("app:jobs:*", "app:_rpc:>");
    }

    @Test
    @DisplayName("an invalid value names the key, the value, the environment form and the expected form")
    void invalidValues() {
        assertThatThrownBy(() -> RedisOptions.from(Map.of("iios.redis.timeout", "soon")))
                .isInstanceOf(TransportException.class)
                .hasMessage("invalid value 'soon' for iios.redis.timeout (environment IIOS_REDIS_TIMEOUT): "
                        + "expected a duration such as 500ms, 5s, 1m (at least 1ms)");
        assertThatThrownBy(() -> RedisOptions.from(Map.of("iios.redis.uri", "http://x:1")))
                .hasMessageContaining("iios.redis.uri").hasMessageContaining("redis://");
        assertThatThrownBy(() -> RedisOptions.from(Map.of("iios.redis.uri", "redis://x:1/abc")))
                .hasMessageContaining("db is a number");
        assertThatThrownBy(() -> RedisOptions.from(Map.of("iios.redis.pool-size", "0")))
                .hasMessageContaining("IIOS_REDIS_POOL_SIZE").hasMessageContaining("at least 1");
        assertThatThrownBy(() -> RedisOptions.from(Map.of("iios.redis.sentinels", "nohost")))
                .hasMessageContaining("host:port");
        assertThatThrownBy(() -> RedisOptions.from(Map.of("iios.redis.watch", "sometimes")))
                .hasMessageContaining("auto, notifications or poll");
        assertThatThrownBy(() -> RedisOptions.from(Map.of("iios.redis.sentinels", "a:1", "iios.redis.cluster", "b:2")))
                .hasMessageContaining("set only one");
        assertThatThrownBy(() -> RedisOptions.from(Map.of("iios.redis.cluster", "b:2", "iios.redis.uri", "redis://h:1/2")))
                .hasMessageContaining("database 0");
        assertThatThrownBy(() -> RedisOptions.from(Map.of("iios.redis.sharded-channels", "a:>:b")))
                .hasMessageContaining("iios.redis.sharded-channels").hasMessageContaining("channel patterns");
    }

    @Test
    @DisplayName("docs/configuration.md lists every Redis key with its environment form")
    void everyKeyDocumented() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
        for (String key : RedisOptions.KEYS) {
            String env = key.toUpperCase().replace('.', '_').replace('-', '_');
            assertThat(doc.lines().filter(l -> l.startsWith("| `" + key + "` |")).findFirst())
                    .as("row of %s", key).hasValueSatisfying(row -> assertThat(row).contains("`" + env + "`"));
        }
        assertThat(new RedisTransportProvider().configKeys()).isEqualTo(RedisOptions.KEYS);
    }
}
