package io.iios.api;

/** The stable codes of {@link IiosException}s, as they travel on the wire. */
public enum ErrorCode {
    /** No live instance of the service. */
    SERVICE_UNAVAILABLE,
    /** No reply before the deadline. */
    CALL_TIMEOUT,
    /** RBAC denied the call. */
    ACCESS_DENIED,
    /** The remote method threw. */
    REMOTE_FAILURE,
    /** The request could not be decoded, named an unknown method, had wrong arguments or was too large. */
    BAD_MESSAGE,
    /** The broker could not be reached. */
    TRANSPORT_FAILURE,
    /** A configuration value is invalid. */
    CONFIG,
    /** The transport lacks a capability the operation needs. */
    UNSUPPORTED,
    /** A stream broke: its producer failed, a side vanished or cancelled, or the protocol was broken. */
    STREAM_FAILURE
}
