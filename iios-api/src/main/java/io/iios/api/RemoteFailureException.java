package io.iios.api;

/**
 * The remote method threw. Carries the remote exception's type and message (the remote stack trace
 * stays on the remote node).
 */
public class RemoteFailureException extends IiosException {
    private static final long serialVersionUID = 1L;
    private final String remoteType;
    private final String remoteMessage;

    public RemoteFailureException(String service, String method, String remoteType, String remoteMessage) {
        super(ErrorCode.REMOTE_FAILURE, service + "." + method + " failed: " + remoteType + ": " + remoteMessage);
        this.remoteType = remoteType;
        this.remoteMessage = remoteMessage;
    }

    /** Fully qualified class name of the remote exception. */
    public String remoteType() {
        return remoteType;
    }

    /** Message of the remote exception (may be empty). */
    public String remoteMessage() {
        return remoteMessage;
    }
}
