package io.iios.api;

/** Whether a grant covers any resource or only the caller's own (seed {@code any}/{@code own}). */
public enum Possession {
    ANY, OWN
}
