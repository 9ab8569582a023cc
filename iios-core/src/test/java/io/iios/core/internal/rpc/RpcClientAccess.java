package io.iios.core.internal.rpc;

/** Test access to package-private helpers of the RPC client. */
public final class RpcClientAccess {
    private RpcClientAccess() {
    }

    public static String newTraceparent() {
        return RpcClient.newTraceparent();
    }
}
