package io.iios.transport.mqtt.internal;

import io.iios.spi.TransportException;
import io.iios.spi.TransportUnavailableException;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;

/** Wraps Paho exceptions at the transport edge, keeping the cause. */
final class MqttErrors {
    private MqttErrors() {
    }

    static TransportException wrap(String what, String where, MqttException e) {
        String msg = "MQTT " + what + " at " + where + " failed: " + describe(e);
        return isUnavailable(e) ? new TransportUnavailableException(msg, e) : new TransportException(msg, e);
    }

    static TransportException connectFailure(String where, MqttException e) {
        int code = e.getReasonCode();
        if (code == 0x86 || code == 0x87 || code == MqttClientException.REASON_CODE_FAILED_AUTHENTICATION
                || code == MqttClientException.REASON_CODE_NOT_AUTHORIZED) {
            return new TransportException("MQTT broker at " + where + " refused the connection: " + describe(e)
                    + " (check iios.mqtt.username and iios.mqtt.password)", e);
        }
        if (code == MqttClientException.REASON_CODE_SSL_CONFIG_ERROR || e.getCause() instanceof javax.net.ssl.SSLException) {
            return new TransportException("TLS handshake with the MQTT broker at " + where + " failed: " + describe(e)
                    + " (check iios.mqtt.ca-file or iios.mqtt.truststore)", e);
        }
        return new TransportUnavailableException("cannot connect to the MQTT broker at " + where + ": " + describe(e),
                e);
    }

    static boolean isUnavailable(MqttException e) {
        int code = e.getReasonCode();
        return code == MqttClientException.REASON_CODE_CLIENT_NOT_CONNECTED
                || code == MqttClientException.REASON_CODE_CONNECTION_LOST
                || code == MqttClientException.REASON_CODE_SERVER_CONNECT_ERROR
                || code == MqttClientException.REASON_CODE_CLIENT_DISCONNECTING
                || code == MqttClientException.REASON_CODE_CLIENT_ALREADY_DISCONNECTED
                || code == MqttClientException.REASON_CODE_BROKER_UNAVAILABLE
                || code == MqttClientException.REASON_CODE_CLIENT_CLOSED
                || code == MqttClientException.REASON_CODE_CONNECT_IN_PROGRESS
                || code == MqttClientException.REASON_CODE_CLIENT_TIMEOUT
                || code == MqttClientException.REASON_CODE_WRITE_TIMEOUT
                || code == 0x88 || code == 0x89 || code == 0x8B;
    }

    static String describe(MqttException e) {
        String m = e.getMessage();
        Throwable c = e.getCause();
        return (m == null ? "reason " + e.getReasonCode() : m + " (" + e.getReasonCode() + ")")
                + (c == null ? "" : ": " + c);
    }

    /** The name of an MQTT 5 reason code. */
    static String reason(int code) {
        return switch (code) {
            case 0x80 -> "unspecified error (0x80)";
            case 0x83 -> "implementation specific error (0x83)";
            case 0x87 -> "not authorized (0x87)";
            case 0x8F -> "topic filter invalid (0x8F)";
            case 0x90 -> "topic name invalid (0x90)";
            case 0x95 -> "packet too large (0x95)";
            case 0x97 -> "quota exceeded (0x97)";
            case 0x99 -> "payload format invalid (0x99)";
            case 0x9A -> "retain not supported (0x9A)";
            case 0x9E -> "shared subscriptions not supported (0x9E)";
            case 0xA1 -> "subscription identifiers not supported (0xA1)";
            case 0xA2 -> "wildcard subscriptions not supported (0xA2)";
            default -> "reason code 0x" + Integer.toHexString(code);
        };
    }
}
