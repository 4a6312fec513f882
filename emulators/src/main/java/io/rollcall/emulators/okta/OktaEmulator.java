package io.rollcall.emulators.okta;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

import io.rollcall.emulators.EmulatorClock;
import io.rollcall.emulators.http.EmulatorOptions;
import io.rollcall.emulators.http.EmulatorServer;
import io.rollcall.emulators.http.Faults;
import io.rollcall.emulators.http.HttpCall;
import io.rollcall.emulators.http.RequestCounters;

/**
 * A stand-in for one Okta org on a local HTTP or HTTPS port: the management API ({@code /api/v1/users},
 * {@code /api/v1/apps/{appId}/users}) with SSWS or OAuth bearer auth, {@code Link} paging and rate limits,
 * OpenID Connect (org and custom authorization servers), and event hooks fed by admin changes.
 *
 * <pre>{@code
 * try (OktaEmulator okta = OktaEmulator.start(OktaEmulator.Options.defaults())) {
 *     OktaOrg org = okta.org();
 *     GeneratedOrg generated = org.generate(OrgSpec.people(300));
 *     // point a client at org.orgUrl() with org.apiToken() and generated.appId()
 * }
 * }</pre>
 */
public final class OktaEmulator implements AutoCloseable {

    /** Start-up settings; every setter returns this options object. */
    public static final class Options extends EmulatorOptions<Options> {
        private EmulatorClock clock = EmulatorClock.system();
        private int rateLimit = 600;
        private Duration rateLimitWindow = Duration.ofMinutes(1);
        private Duration hookBatchWindow = Duration.ofMillis(20);
        private int hookMaxBatch = 50;
        private Duration hookTimeout = Duration.ofSeconds(3);
        private Duration accessTokenLifetime = Duration.ofHours(1);

        private Options() {
        }

        /** Port 0, plain HTTP on loopback, the system clock, seed 42, 600 requests a minute per endpoint family. */
        public static Options defaults() {
            return new Options();
        }

        /** The clock behind tokens, event times and rate-limit windows. */
        public Options clock(EmulatorClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock cannot be null");
            return this;
        }

        /** Requests per window for each endpoint family (users, user by id, app users; default 600). */
        public Options rateLimit(int perWindow) {
            if (perWindow < 1) {
                throw new IllegalArgumentException("perWindow must be positive");
            }
            this.rateLimit = perWindow;
            return this;
        }

        /** The rate-limit window (default a minute; tests shorten it so a client's wait stays short). */
        public Options rateLimitWindow(Duration window) {
            if (window.toMillis() < 1000) {
                throw new IllegalArgumentException(
                        "The window is at least a second (X-Rate-Limit-Reset is in seconds)");
            }
            this.rateLimitWindow = window;
            return this;
        }

        /** How long events are collected into one hook POST (default 20 ms). */
        public Options hookBatchWindow(Duration window) {
            this.hookBatchWindow = Objects.requireNonNull(window, "window cannot be null");
            return this;
        }

        /** Most events in one hook POST (default 50). */
        public Options hookMaxBatch(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("max must be positive");
            }
            this.hookMaxBatch = max;
            return this;
        }

        /** How long a hook may take to answer (Okta: 3 s). */
        public Options hookTimeout(Duration timeout) {
            this.hookTimeout = Objects.requireNonNull(timeout, "timeout cannot be null");
            return this;
        }

        public Options accessTokenLifetime(Duration lifetime) {
            this.accessTokenLifetime = Objects.requireNonNull(lifetime, "lifetime cannot be null");
            return this;
        }

        int rateLimit() {
            return this.rateLimit;
        }

        Duration rateLimitWindow() {
            return this.rateLimitWindow;
        }

        Duration hookBatchWindow() {
            return this.hookBatchWindow;
        }

        int hookMaxBatch() {
            return this.hookMaxBatch;
        }

        Duration hookTimeout() {
            return this.hookTimeout;
        }

        Duration accessTokenLifetime() {
            return this.accessTokenLifetime;
        }
    }

    private final Options options;
    private final EmulatorClock clock;
    private final Faults faults;
    private final EventHookFaults hookFaults;
    private final RequestCounters counters = new RequestCounters();
    private final RSAKey signingKey;
    private final RateLimits rateLimits;
    private final EventHooks hooks;
    private final OktaOrg org;
    private final ManagementApi management;
    private final OktaOidc oidc;
    private final OktaAdminApi admin;
    private final EmulatorServer server;

    private OktaEmulator(Options options) {
        this.options = options;
        this.clock = options.clock;
        this.faults = new Faults(options.seed());
        this.hookFaults = new EventHookFaults(options.seed());
        try {
            this.signingKey = new RSAKeyGenerator(2048).keyID("okta-emulator-" + Long.toHexString(options.seed()))
                .generate();
        }
        catch (JOSEException ex) {
            throw new IllegalStateException("Could not generate the emulator's signing key", ex);
        }
        this.rateLimits = new RateLimits(this);
        this.hooks = new EventHooks(this);
        this.server = options.startServer(this::route);
        this.org = new OktaOrg(this, options.seed());
        this.management = new ManagementApi(this);
        this.oidc = new OktaOidc(this);
        this.admin = new OktaAdminApi(this);
    }

    public static OktaEmulator start(Options options) {
        Objects.requireNonNull(options, "options cannot be null");
        return new OktaEmulator(options);
    }

    public static OktaEmulator start() {
        return start(Options.defaults());
    }

    private void route(HttpCall call) throws Exception {
        String first = call.segment(0);
        this.counters.request(call.method(), call.path());
        if (this.management == null) {
            call.respondText(503, "text/plain", "starting");
        }
        else if ("api".equals(first)) {
            this.management.handle(call);
        }
        else if ("_emulator".equals(first)) {
            this.admin.handle(call);
        }
        else {
            this.oidc.handle(call);
        }
    }

    /** {@code http(s)://127.0.0.1:port}. */
    public String baseUrl() {
        return this.server.baseUrl();
    }

    /** The one org this emulator serves (its URL is {@link #baseUrl()}). */
    public OktaOrg org() {
        return this.org;
    }

    /** The admin HTTP API's base ({@code /_emulator}). */
    public String adminUrl() {
        return baseUrl() + "/_emulator";
    }

    public int port() {
        return this.server.port();
    }

    public Optional<SSLContext> clientSslContext() {
        return this.server.clientSslContext();
    }

    /** Faults for management API requests (after authentication): 429, 5xx, drops, latency. */
    public Faults faults() {
        return this.faults;
    }

    /** Changes the rate-limit budget per window of every endpoint family at run time (0 = back to the start option). */
    public OktaEmulator rateLimit(int perWindow) {
        this.rateLimits.limit(perWindow);
        return this;
    }

    /** Event-hook delivery knobs: duplicates and reordering. */
    public EventHookFaults hookFaults() {
        return this.hookFaults;
    }

    /**
     * Requests by method and path, and named counters: {@code throttled} (429s, by budget or injected),
     * {@code serverErrors}, {@code dropped}, {@code tokensIssued}, {@code signIns}, {@code events},
     * {@code hookPosts}, {@code hookDuplicates}, {@code hookGivenUp}.
     */
    public RequestCounters counters() {
        return this.counters;
    }

    public EmulatorClock clock() {
        return this.clock;
    }

    @Override
    public void close() {
        this.server.close();
        this.hooks.close();
    }

    Options options() {
        return this.options;
    }

    RSAKey signingKey() {
        return this.signingKey;
    }

    RateLimits rateLimits() {
        return this.rateLimits;
    }

    EventHooks hooks() {
        return this.hooks;
    }

    OktaOidc oidc() {
        return this.oidc;
    }
}
