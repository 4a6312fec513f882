package io.rollcall.emulators.entra;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.rollcall.emulators.http.HttpCall;

/**
 * The login service ({@code login.microsoftonline.com}): client-credentials tokens with AADSTS errors,
 * the admin-consent page, and OpenID Connect sign-in.
 */
final class LoginApi {

    static final String GRAPH_SCOPE = "https://graph.microsoft.com/.default";

    private final EntraEmulator emulator;
    private final OidcProvider oidc;

    LoginApi(EntraEmulator emulator) {
        this.emulator = emulator;
        this.oidc = new OidcProvider(emulator);
    }

    void handle(HttpCall call) throws Exception {
        List<String> s = call.segments();
        this.emulator.counters().request(call.method(), call.path());
        if (s.size() == 4 && s.get(1).equals("oauth2") && s.get(2).equals("v2.0") && s.get(3).equals("token")
                && call.method().equals("POST")) {
            token(call, s.get(0));
        }
        else if (s.size() == 2 && s.get(1).equals("adminconsent")) {
            adminConsent(call, s.get(0));
        }
        else if (this.oidc.handles(s)) {
            this.oidc.handle(call, s);
        }
        else {
            call.respondText(404, "text/plain; charset=utf-8", "No such login endpoint: " + call.path());
        }
    }

    private void token(HttpCall call, String tenantSegment) {
        Map<String, String> form = call.form();
        String grantType = form.getOrDefault("grant_type", "");
        if (grantType.equals("authorization_code") || grantType.equals("refresh_token")) {
            this.oidc.token(call, tenantSegment, form);
            return;
        }
        String clientId = form.get("client_id");
        String clientSecret = form.get("client_secret");
        Optional<String[]> basic = basicCredentials(call);
        if (basic.isPresent()) {
            clientId = basic.get()[0];
            clientSecret = basic.get()[1];
        }
        Optional<EntraTenant> found = this.emulator.tenantForLogin(tenantSegment, clientId);
        if (found.isEmpty()) {
            aadError(call, 400, "invalid_request", 90002,
                    "Tenant '" + tenantSegment + "' not found. Check to make sure you have "
                            + "the correct tenant ID and are signing into the correct cloud.");
            return;
        }
        EntraTenant tenant = found.get();
        if (!grantType.equals("client_credentials")) {
            aadError(call, 400, "unsupported_grant_type", 70003,
                    "The app requested an unsupported grant type '" + grantType + "'.");
            return;
        }
        if (clientId == null || clientId.isBlank()) {
            aadError(call, 400, "invalid_request", 900144,
                    "The request body must contain the following parameter: 'client_id'.");
            return;
        }
        if (!clientId.equalsIgnoreCase(tenant.clientId())) {
            aadError(call, 400, "unauthorized_client", 700016, "Application with identifier '" + clientId
                    + "' was not found in the directory '"
                    + tenant.domain()
                    + "'. This can happen if the application has not been installed by the administrator of the tenant "
                    + "or consented to by any user in the tenant.");
            return;
        }
        if (clientSecret == null || clientSecret.isEmpty()) {
            aadError(call, 401, "invalid_client", 7000216,
                    "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.");
            return;
        }
        if (!clientSecret.equals(tenant.clientSecret())) {
            aadError(call, 401, "invalid_client", 7000215,
                    "Invalid client secret provided. Ensure the secret being sent in the request "
                            + "is the client secret value, not the client secret ID, for a secret added to app '"
                            + tenant.clientId() + "'.");
            return;
        }
        String scope = form.getOrDefault("scope", "");
        if (!scope.endsWith("/.default")) {
            aadError(call, 400, "invalid_scope", 1002012, "The provided value for scope " + scope
                    + " is not valid. Client credential flows "
                    + "must have a scope value with /.default suffixed to the resource identifier (application ID URI).");
            return;
        }
        Instant now = this.emulator.clock().instant();
        Instant expires = now.plus(this.emulator.options().accessTokenLifetime());
        String token = accessToken(tenant, now, expires);
        this.emulator.accessTokens().put(token, new EntraEmulator.IssuedToken(tenant, tenant.clientId(), expires));
        this.emulator.counters().add("tokensIssued", 1);
        long expiresIn = this.emulator.options().accessTokenLifetime().toSeconds();
        call.respondJson(200, json -> {
            json.writeStartObject();
            json.writeStringProperty("token_type", "Bearer");
            json.writeNumberProperty("expires_in", expiresIn);
            json.writeNumberProperty("ext_expires_in", expiresIn);
            json.writeStringProperty("access_token", token);
            json.writeEndObject();
        });
    }

    private String accessToken(EntraTenant tenant, Instant now, Instant expires) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
            .audience("https://graph.microsoft.com")
            .issuer("https://sts.windows.net/" + tenant.tenantId() + "/")
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now))
            .expirationTime(Date.from(expires))
            .jwtID(UUID.randomUUID().toString())
            .claim("tid", tenant.tenantId())
            .claim("appid", tenant.clientId())
            .claim("idtyp", "app")
            .claim("roles", tenant.consentGranted() ? List.of("User.Read.All", "GroupMember.Read.All") : List.of())
            .subject(tenant.clientId())
            .build();
        return sign(claims);
    }

    String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                .keyID(this.emulator.signingKey().getKeyID())
                .build(), claims);
            jwt.sign(new RSASSASigner(this.emulator.signingKey()));
            return jwt.serialize();
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * The admin-consent endpoint an app's "Authorise" button sends an administrator to. Approves at once or
     * after the Accept button, then redirects to {@code redirect_uri} with {@code tenant}, {@code admin_consent}
     * and {@code state}; unknown apps and Cancel redirect with {@code error=access_denied}.
     */
    private void adminConsent(HttpCall call, String tenantSegment) {
        Map<String, String> params = call.method().equals("POST") ? call.form() : call.query();
        String clientId = params.get("client_id");
        String redirectUri = params.get("redirect_uri");
        String state = params.get("state");
        if (redirectUri == null || !(redirectUri.startsWith("http://") || redirectUri.startsWith("https://"))) {
            call.respondText(400, "text/html; charset=utf-8",
                    page("Sign in", "<p>AADSTS90102: 'redirect_uri' value must be a valid absolute URI.</p>"));
            return;
        }
        Optional<EntraTenant> tenant = this.emulator.tenantForLogin(tenantSegment, clientId);
        if (tenant.isEmpty() || clientId == null || !clientId.equalsIgnoreCase(tenant.get().clientId())) {
            String description = tenant.isEmpty()
                    ? "AADSTS90002: Tenant '" + tenantSegment + "' not found."
                    : "AADSTS700016: Application with identifier '" + clientId + "' was not found in the directory '"
                            + tenant.get().domain() + "'.";
            call.redirect(
                    redirectUri + (redirectUri.contains("?") ? "&" : "?") + "error=access_denied&error_description="
                            + encode(description) + (state == null ? "" : "&state=" + encode(state)));
            return;
        }
        String decision = params.get("decision");
        if (decision == null && !this.emulator.options().autoApproveConsent()) {
            call.respondText(200, "text/html; charset=utf-8", page("Permissions requested",
                    "<p>The app <b>" + escape(clientId)
                            + "</b> asks for <i>User.Read.All</i> and <i>GroupMember.Read.All</i> in "
                            + escape(tenant.get().domain()) + ".</p>"
                            + "<form method='post'>"
                            + hidden("client_id", clientId) + hidden("redirect_uri", redirectUri)
                            + (state == null ? "" : hidden("state", state))
                            + "<button name='decision' value='accept'>Accept</button> "
                            + "<button name='decision' value='cancel'>Cancel</button></form>"));
            return;
        }
        String separator = redirectUri.contains("?") ? "&" : "?";
        String stateParam = state == null ? "" : "&state=" + encode(state);
        if ("cancel".equals(decision)) {
            call.redirect(redirectUri + separator + "error=access_denied&error_description="
                    + encode("AADSTS65004: User declined to consent to access the app.") + stateParam);
            return;
        }
        tenant.get().grantConsent();
        this.emulator.counters().add("consentsGranted", 1);
        call.redirect(
                redirectUri + separator + "tenant=" + tenant.get().tenantId() + "&admin_consent=True" + stateParam);
    }

    static void aadError(HttpCall call, int status, String error, int code, String description) {
        String traceId = UUID.randomUUID().toString();
        String correlationId = UUID.randomUUID().toString();
        String timestamp = Instant.now().toString();
        call.respondJson(status, json -> {
            json.writeStartObject();
            json.writeStringProperty("error", error);
            json.writeStringProperty("error_description", "AADSTS" + code + ": " + description + " Trace ID: " + traceId
                    + " Correlation ID: " + correlationId + " Timestamp: " + timestamp);
            json.writeArrayPropertyStart("error_codes");
            json.writeNumber(code);
            json.writeEndArray();
            json.writeStringProperty("timestamp", timestamp);
            json.writeStringProperty("trace_id", traceId);
            json.writeStringProperty("correlation_id", correlationId);
            json.writeEndObject();
        });
    }

    private static Optional<String[]> basicCredentials(HttpCall call) {
        return call.header("Authorization").filter(value -> value.regionMatches(true, 0, "Basic ", 0, 6)).map(value -> {
            String decoded = new String(Base64.getDecoder().decode(value.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? new String[] { decoded, "" } : new String[] {
                    java.net.URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8) };
        });
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String escape(String value) {
        return value.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace("'", "&#39;")
            .replace("\"", "&quot;");
    }

    static String hidden(String name, String value) {
        return "<input type='hidden' name='" + name + "' value='" + escape(value) + "'>";
    }

    static String page(String title, String body) {
        return "<!doctype html><html><head><meta charset='utf-8'><title>" + escape(title) + "</title></head><body>"
                + "<h1>" + escape(title) + "</h1>" + body + "<p><small>Entra ID emulator</small></p></body></html>";
    }
}
