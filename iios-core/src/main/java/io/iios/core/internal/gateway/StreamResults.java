package io.iios.core.internal.gateway;

import io.iios.api.StreamHandle;
import java.io.InputStream;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.concurrent.Flow;

/** The stream types a caller may ask for (a proxy's return type, {@code call(Class, …)}) and the view of each. */
final class StreamResults {

    private StreamResults() {
    }

    static boolean isStreamType(Type t) {
        Class<?> raw = t instanceof ParameterizedType pt ? (Class<?>) pt.getRawType() : t instanceof Class<?> c ? c : null;
        return raw == StreamHandle.class || raw == InputStream.class || raw == Flow.Publisher.class;
    }

    /**
     * The view of a handle a declared type asks for: the handle itself, an {@code InputStream}, a
     * {@code Flow.Publisher<byte[]>} of a byte stream, or a {@code Flow.Publisher<T>} of an object stream.
     */
    static Object as(Type declared, StreamHandle handle) {
        Class<?> raw = declared instanceof ParameterizedType pt ? (Class<?>) pt.getRawType() : (Class<?>) declared;
        if (raw == StreamHandle.class) {
            return handle;
        }
        if (raw == InputStream.class) {
            return handle.asInputStream();
        }
        Type element = declared instanceof ParameterizedType pt ? pt.getActualTypeArguments()[0] : Object.class;
        boolean bytes = element == byte[].class
                || element instanceof GenericArrayType g && g.getGenericComponentType() == byte.class;
        if (bytes || !handle.carriesObjects() && element == Object.class) {
            return handle.asPublisher();
        }
        Class<?> type = element instanceof Class<?> c ? c
                : element instanceof ParameterizedType p ? (Class<?>) p.getRawType() : Object.class;
        return handle.asObjects(type);
    }
}
