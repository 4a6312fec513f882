package io.rollcall.emulators.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

/**
 * The JDK HTTP(S) server an emulator runs on: one handler for every path, one virtual thread per exchange,
 * plain HTTP or TLS with a certificate generated at start.
 */
public final class EmulatorServer implements AutoCloseable {

    /** Handles one call; exceptions become a 500 so a bug in an emulator is visible to the client. */
    @FunctionalInterface
    public interface Handler {
        void handle(HttpCall call) throws Exception;
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final SelfSignedCertificate certificate;
    private final String baseUrl;

    private EmulatorServer(HttpServer server, ExecutorService executor, SelfSignedCertificate certificate,
            String baseUrl) {
        this.server = server;
        this.executor = executor;
        this.certificate = certificate;
        this.baseUrl = baseUrl;
    }

    /**
     * Starts listening.
     * @param address where to bind (loopback for tests)
     * @param port the port, 0 for a free one
     * @param https whether to serve TLS with a freshly generated self-signed certificate
     */
    public static EmulatorServer start(InetAddress address, int port, boolean https, Handler handler) {
        Objects.requireNonNull(address, "address cannot be null");
        Objects.requireNonNull(handler, "handler cannot be null");
        try {
            InetSocketAddress socket = new InetSocketAddress(address, port);
            SelfSignedCertificate certificate = null;
            HttpServer server;
            if (https) {
                certificate = SelfSignedCertificate.generate(List.of(address.getHostAddress()));
                HttpsServer tls = HttpsServer.create(socket, 1024);
                SSLContext context = certificate.serverContext();
                tls.setHttpsConfigurator(new HttpsConfigurator(context) {
                    @Override
                    public void configure(HttpsParameters parameters) {
                        SSLParameters ssl = context.getDefaultSSLParameters();
                        parameters.setSSLParameters(ssl);
                    }
                });
                server = tls;
            }
            else {
                server = HttpServer.create(socket, 1024);
            }
            ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
            server.setExecutor(executor);
            server.createContext("/", exchange -> {
                HttpCall call = new HttpCall(exchange);
                try {
                    handler.handle(call);
                }
                catch (HttpCall.DroppedConnection dropped) {
                    // The JDK server closes the connection when a handler throws: what a dropped link looks like.
                    throw dropped;
                }
                catch (Throwable ex) {
                    call.failSafely(ex);
                }
                call.finish();
            });
            server.start();
            String host = address.getHostAddress().contains(":") ? "[" + address.getHostAddress() + "]"
                    : address.getHostAddress();
            String base = (https ? "https" : "http") + "://" + host + ":" + server.getAddress().getPort();
            return new EmulatorServer(server, executor, certificate, base);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not start the emulator on port " + port, ex);
        }
    }

    /** {@code http(s)://127.0.0.1:port}, no trailing slash. */
    public String baseUrl() {
        return this.baseUrl;
    }

    public int port() {
        return this.server.getAddress().getPort();
    }

    /** For https servers, a client context trusting this server's certificate. */
    public Optional<SSLContext> clientSslContext() {
        return Optional.ofNullable(this.certificate).map(SelfSignedCertificate::clientContext);
    }

    @Override
    public void close() {
        this.server.stop(0);
        this.executor.shutdownNow();
    }
}
