package io.iios.transport.mqtt.internal;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttToken;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttDisconnect;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.MqttReturnCode;

/**
 * Paho's async client on {@link PahoThreads}, with disconnects that do not sleep: Paho 1.2.5's
 * {@code disconnect} and {@code disconnectForcibly} end with a {@code Thread.sleep(100)} on the caller's thread
 * (after handing the work to a background task), which made every {@code close()} take 100 ms. These call the
 * same connection methods without it; completion is still awaited through the token.
 */
final class PahoClient extends MqttAsyncClient {

    PahoClient(String serverUri, String clientId, PahoThreads threads) throws MqttException {
        super(serverUri, clientId, new MemoryPersistence(), null, threads);
    }

    /**
     * Sends DISCONNECT after up to {@code quiesceMillis} for queued and in-flight messages to go out, then closes
     * the socket and stops Paho's loops; the token completes when that is done.
     */
    IMqttToken disconnectNow(long quiesceMillis) throws MqttException {
        MqttToken token = new MqttToken(getClientId());
        comms.disconnect(new MqttDisconnect(MqttReturnCode.RETURN_CODE_SUCCESS, new MqttProperties()),
                quiesceMillis, token);
        return token;
    }

    /** Drops the connection at once (a DISCONNECT is tried for up to {@code sendMillis}); returns when it is down. */
    void dropNow(long sendMillis, boolean sendDisconnect) throws MqttException {
        comms.disconnectForcibly(0, sendMillis, sendDisconnect, MqttReturnCode.RETURN_CODE_SUCCESS,
                new MqttProperties());
    }
}
