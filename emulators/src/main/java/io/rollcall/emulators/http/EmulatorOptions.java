package io.rollcall.emulators.http;

import java.net.InetAddress;
import java.util.Objects;

/**
 * What every emulator is started with, beside its own settings: where it listens, whether with TLS, and the seed of
 * its generated ids, credentials and fault decisions. Setters return the emulator's own options, so that they chain
 * with its other settings in any order.
 *
 * @param <O> the emulator's options
 */
public abstract class EmulatorOptions<O extends EmulatorOptions<O>> {

    private int port;
    private boolean https;
    private InetAddress bindAddress = InetAddress.getLoopbackAddress();
    private long seed = 42L;

    protected EmulatorOptions() {
    }

    /** The port to listen on; 0 (the default) picks a free one. */
    public O port(int port) {
        this.port = port;
        return self();
    }

    /** Serve HTTPS with a self-signed certificate generated at start (trust it with the emulator's client context). */
    public O https(boolean https) {
        this.https = https;
        return self();
    }

    /** Where to listen (default loopback). */
    public O bindAddress(InetAddress bindAddress) {
        this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress cannot be null");
        return self();
    }

    /** Drives generated ids, credentials and fault decisions (default 42). */
    public O seed(long seed) {
        this.seed = seed;
        return self();
    }

    public int port() {
        return this.port;
    }

    public boolean https() {
        return this.https;
    }

    public InetAddress bindAddress() {
        return this.bindAddress;
    }

    public long seed() {
        return this.seed;
    }

    /** Starts the emulator's server with these options. */
    public EmulatorServer startServer(EmulatorServer.Handler handler) {
        return EmulatorServer.start(this.bindAddress, this.port, this.https, handler);
    }

    @SuppressWarnings("unchecked")
    private O self() {
        return (O) this;
    }
}
