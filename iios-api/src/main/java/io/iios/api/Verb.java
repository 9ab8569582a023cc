package io.iios.api;

/** The HTTP verb of a service method and the RBAC action it maps to (seed mapping). */
public enum Verb {
    GET("read"), PUT("create"), POST("update"), DELETE("delete");

    private final String action;

    Verb(String action) {
        this.action = action;
    }

    /** The RBAC action: GET=read, PUT=create, POST=update, DELETE=delete. */
    public String action() {
        return action;
    }
}
