package io.rollcall.emulators.jsondirectory;

import java.util.Objects;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import io.rollcall.emulators.http.EmulatorOptions;
import io.rollcall.emulators.http.EmulatorServer;
import io.rollcall.emulators.http.Faults;
import io.rollcall.emulators.http.HttpCall;
import io.rollcall.emulators.http.RequestCounters;

/**
 * A stand-in for an HR system or in-house directory that lists its people as JSON, by the contract in Rollcall's
 * README ("A JSON directory"): {@code GET /people?limit=N} with a bearer token, {@code next} links, 401, 429 with
 * {@code Retry-After} and 5xx on demand ({@link #faults()}), and an admin API under {@code /_emulator}.
 *
 * <pre>{@code
 * try (JsonDirectoryEmulator hr = JsonDirectoryEmulator.start(JsonDirectoryEmulator.Options.defaults())) {
 *     hr.people().generate(50, 4, "acme.example", 42);
 *     // point a client at hr.peopleUrl() with hr.token()
 * }
 * }</pre>
 */
public final class JsonDirectoryEmulator implements AutoCloseable {

    /** Start-up settings; every setter returns this options object. */
    public static final class Options extends EmulatorOptions<Options> {
        private String token = "hr-token-0123456789";

        private Options() {
        }

        /** Port 0, plain HTTP on loopback, seed 42. */
        public static Options defaults() {
            return new Options();
        }

        /** The bearer token the endpoint wants. */
        public Options token(String token) {
            this.token = requireToken(token);
            return this;
        }
    }

    private final Faults faults;
    private final RequestCounters counters = new RequestCounters();
    private final PeopleDirectory people = new PeopleDirectory();
    private final PeopleApi api;
    private final DirectoryAdminApi admin;
    private final EmulatorServer server;
    private volatile String token;

    private JsonDirectoryEmulator(Options options) {
        this.faults = new Faults(options.seed());
        this.token = options.token;
        this.api = new PeopleApi(this);
        this.admin = new DirectoryAdminApi(this);
        this.server = options.startServer(this::route);
    }

    public static JsonDirectoryEmulator start(Options options) {
        Objects.requireNonNull(options, "options cannot be null");
        return new JsonDirectoryEmulator(options);
    }

    public static JsonDirectoryEmulator start() {
        return start(Options.defaults());
    }

    private void route(HttpCall call) throws Exception {
        this.counters.request(call.method(), call.path());
        String first = call.segment(0);
        if ("people".equals(first)) {
            this.api.handle(call);
        }
        else if ("_emulator".equals(first)) {
            this.admin.handle(call);
        }
        else {
            PeopleApi.error(call, 404, "not_found", "No endpoint " + call.path() + "; the people are at /people");
        }
    }

    /** {@code http(s)://127.0.0.1:port}. */
    public String baseUrl() {
        return this.server.baseUrl();
    }

    /** The people endpoint, what a client is set up with. */
    public String peopleUrl() {
        return baseUrl() + "/people";
    }

    /** The admin HTTP API's base ({@code /_emulator}). */
    public String adminUrl() {
        return baseUrl() + "/_emulator";
    }

    /** The bearer token the endpoint wants. */
    public String token() {
        return this.token;
    }

    /** Changes the token the endpoint wants: the old one is answered 401 from now on. */
    public JsonDirectoryEmulator token(String token) {
        this.token = requireToken(token);
        return this;
    }

    /** The people the endpoint lists; change them at any time. */
    public PeopleDirectory people() {
        return this.people;
    }

    /** Faults for people requests (after authentication): 429 with {@code Retry-After}, 503, drops, latency. */
    public Faults faults() {
        return this.faults;
    }

    /**
     * Requests by method and path, and named counters: {@code unauthorized}, {@code throttled}, {@code serverErrors},
     * {@code dropped}.
     */
    public RequestCounters counters() {
        return this.counters;
    }

    public int port() {
        return this.server.port();
    }

    public Optional<SSLContext> clientSslContext() {
        return this.server.clientSslContext();
    }

    @Override
    public void close() {
        this.server.close();
    }

    private static String requireToken(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("The token cannot be blank");
        }
        return token;
    }
}
