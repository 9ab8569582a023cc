package io.iios.api;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Where an event comes from.
 *
 * @param service the service that pushed it
 * @param event the event name
 * @param instanceId the instance that pushed it
 * @param timestamp when it was pushed
 * @param userId the user on whose call it was pushed, if any
 */
public record EventMeta(String service, String event, String instanceId, Instant timestamp, @Nullable String userId) {
}
