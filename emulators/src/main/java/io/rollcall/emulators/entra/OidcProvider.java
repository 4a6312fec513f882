package io.rollcall.emulators.entra;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;

import io.rollcall.emulators.http.HttpCall;

/**
 * OpenID Connect sign-in as Entra's v2.0 endpoints offer it: discovery, JWKS, authorize (code flow with
 * PKCE; the user is picked by {@code login_hint} or a small sign-in form), the code exchange issuing RS256
 * ID tokens, and userinfo. Any enabled user of the tenant may sign in; no passwords.
 */
final class OidcProvider {

    static final Duration CODE_LIFETIME = Duration.ofMinutes(10);

    /** An authorization code waiting to be exchanged. */
    record AuthorizationCode(EntraTenant tenant, String userId, String clientId, String redirectUri, String nonce,
            String codeChallenge, String codeChallengeMethod, String scope, Instant expiresAt) {
    }

    /** What an access token from sign-in lets userinfo answer. */
    record SignInToken(EntraTenant tenant, String userId, String clientId, Instant expiresAt) {
    }

    private final EntraEmulator emulator;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, AuthorizationCode> codes = new ConcurrentHashMap<>();
    private final Map<String, SignInToken> signInTokens = new ConcurrentHashMap<>();

    OidcProvider(EntraEmulator emulator) {
        this.emulator = emulator;
    }

    boolean handles(List<String> s) {
        return (s.size() == 4 && s.get(1).equals("v2.0") && s.get(2).equals(".well-known")
                && s.get(3).equals("openid-configuration"))
                || (s.size() == 4 && s.get(1).equals("discovery") && s.get(2).equals("v2.0") && s.get(3).equals("keys"))
                || (s.size() == 3 && s.get(1).equals("discovery") && s.get(2).equals("keys"))
                || (s.size() == 4 && s.get(1).equals("oauth2") && s.get(2).equals("v2.0")
                        && s.get(3).equals("authorize"))
                || (s.size() == 4 && s.get(1).equals("oauth2") && s.get(2).equals("v2.0") && s.get(3).equals("logout"))
                || (s.size() == 2 && s.get(0).equals("oidc") && s.get(1).equals("userinfo"));
    }

    void handle(HttpCall call, List<String> s) {
        if (s.get(0).equals("oidc")) {
            userinfo(call);
            return;
        }
        String tenantSegment = s.get(0);
        String last = s.get(s.size() - 1);
        switch (last) {
            case "openid-configuration" -> discovery(call, tenantSegment);
            case "keys" -> call.respondJson(200,
                    json -> json.writeRawValue(new JWKSet(this.emulator.signingKey().toPublicJWK()).toString()));
            case "authorize" -> authorize(call, tenantSegment);
            case "logout" -> {
                String target = call.query("post_logout_redirect_uri").orElse(null);
                if (target != null) {
                    call.redirect(target);
                }
                else {
                    call.respondText(200, "text/html; charset=utf-8",
                            LoginApi.page("Signed out", "<p>You signed out.</p>"));
                }
            }
            default -> call.respondText(404, "text/plain", "No such endpoint");
        }
    }

    private String issuer(String tenantId) {
        return this.emulator.authority() + "/" + tenantId + "/v2.0";
    }

    private void discovery(HttpCall call, String tenantSegment) {
        String lower = tenantSegment.toLowerCase(java.util.Locale.ROOT);
        boolean multi = lower.equals("common") || lower.equals("organizations");
        Optional<EntraTenant> tenant = multi ? Optional.empty() : this.emulator.tenant(tenantSegment);
        if (!multi && tenant.isEmpty()) {
            LoginApi.aadError(call, 400, "invalid_tenant", 90002, "Tenant '" + tenantSegment + "' not found.");
            return;
        }
        String base = this.emulator.authority() + "/" + tenantSegment;
        // Multi-tenant documents carry Entra's literal template; clients substitute the token's tid.
        String issuer = multi ? this.emulator.authority() + "/{tenantid}/v2.0" : issuer(tenant.get().tenantId());
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("token_endpoint", base + "/oauth2/v2.0/token");
        document.put("token_endpoint_auth_methods_supported",
                List.of("client_secret_post", "private_key_jwt", "client_secret_basic"));
        document.put("jwks_uri", base + "/discovery/v2.0/keys");
        document.put("response_modes_supported", List.of("query", "fragment", "form_post"));
        document.put("subject_types_supported", List.of("pairwise"));
        document.put("id_token_signing_alg_values_supported", List.of("RS256"));
        document.put("response_types_supported", List.of("code", "id_token", "code id_token", "id_token token"));
        document.put("scopes_supported", List.of("openid", "profile", "email", "offline_access"));
        document.put("issuer", issuer);
        document.put("request_uri_parameter_supported", false);
        document.put("userinfo_endpoint", this.emulator.authority() + "/oidc/userinfo");
        document.put("authorization_endpoint", base + "/oauth2/v2.0/authorize");
        document.put("end_session_endpoint", base + "/oauth2/v2.0/logout");
        document.put("code_challenge_methods_supported", List.of("plain", "S256"));
        document.put("claims_supported",
                List.of("sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "preferred_username",
                        "name", "tid", "ver", "oid", "email", "given_name", "family_name"));
        document.put("tenant_region_scope", "EU");
        call.respondValue(200, document);
    }

    private void authorize(HttpCall call, String tenantSegment) {
        Map<String, String> params = new LinkedHashMap<>(call.query());
        if (call.method().equals("POST")) {
            params.putAll(call.form());
        }
        String clientId = params.get("client_id");
        String redirectUri = params.get("redirect_uri");
        String state = params.get("state");
        Optional<EntraTenant> found = this.emulator.tenantForLogin(tenantSegment, clientId);
        if (found.isEmpty() || clientId == null || !clientId.equalsIgnoreCase(found.get().clientId())) {
            String message = found.isEmpty() ? "AADSTS90002: Tenant '" + tenantSegment + "' not found."
                    : "AADSTS700016: Application with identifier '" + clientId + "' was not found in the directory '"
                            + found.get().domain() + "'.";
            call.respondText(400, "text/html; charset=utf-8",
                    LoginApi.page("Sign in", "<p>" + LoginApi.escape(message) + "</p>"));
            return;
        }
        if (redirectUri == null || !(redirectUri.startsWith("http://") || redirectUri.startsWith("https://"))) {
            call.respondText(400, "text/html; charset=utf-8",
                    LoginApi.page("Sign in", "<p>AADSTS900971: No reply address provided.</p>"));
            return;
        }
        EntraTenant tenant = found.get();
        String separator = redirectUri.contains("?") ? "&" : "?";
        String stateParam = state == null ? "" : "&state=" + LoginApi.encode(state);
        if (!"code".equals(params.get("response_type"))) {
            call.redirect(redirectUri + separator + "error=unsupported_response_type&error_description="
                    + LoginApi.encode("AADSTS700054: The emulator supports response_type=code only.") + stateParam);
            return;
        }
        String scope = params.getOrDefault("scope", "");
        if (!List.of(scope.split(" ")).contains("openid")) {
            call.redirect(redirectUri + separator + "error=invalid_request&error_description="
                    + LoginApi.encode("AADSTS900144: The 'openid' scope is required for sign-in.") + stateParam);
            return;
        }
        String login = params.get("login");
        if (login == null) {
            login = params.get("login_hint");
        }
        EntraUser user = login == null || login.isBlank() ? null : tenant.liveUser(login.trim());
        if (user == null) {
            String error = login == null || login.isBlank() ? ""
                    : "<p style='color:#b00'>AADSTS50034: The user account "
                            + LoginApi.escape(login) + " does not exist in the " + LoginApi.escape(tenant.domain())
                            + " directory.</p>";
            StringBuilder hidden = new StringBuilder();
            params.forEach((name, value) -> {
                if (!name.equals("login")) {
                    hidden.append(LoginApi.hidden(name, value));
                }
            });
            call.respondText(200, "text/html; charset=utf-8", LoginApi.page("Sign in to " + tenant.domain(), error
                    + "<form method='post'>" + hidden + "<label>Account <input name='login' id='login' autofocus "
                    + "placeholder='someone@" + LoginApi.escape(tenant.domain())
                    + "'></label> <button id='next' type='submit'>Sign in</button></form>"));
            return;
        }
        if (!user.accountEnabled()) {
            call.redirect(redirectUri + separator + "error=access_denied&error_description="
                    + LoginApi.encode("AADSTS50057: The user account is disabled.") + stateParam);
            return;
        }
        String challenge = params.get("code_challenge");
        String method = params.getOrDefault("code_challenge_method", challenge == null ? null : "plain");
        if (method != null && !method.equals("S256") && !method.equals("plain")) {
            call.redirect(redirectUri + separator + "error=invalid_request&error_description="
                    + LoginApi.encode("AADSTS501491: Invalid code_challenge_method.") + stateParam);
            return;
        }
        String code = token();
        this.codes.put(code,
                new AuthorizationCode(tenant, user.id(), tenant.clientId(), redirectUri, params.get("nonce"), challenge,
                        method, scope, this.emulator.clock().instant().plus(CODE_LIFETIME)));
        this.emulator.counters().add("signIns", 1);
        call.redirect(redirectUri + separator + "code=" + LoginApi.encode(code) + stateParam + "&session_state="
                + UUID.randomUUID());
    }

    void token(HttpCall call, String tenantSegment, Map<String, String> form) {
        if (!"authorization_code".equals(form.get("grant_type"))) {
            LoginApi.aadError(call, 400, "unsupported_grant_type", 70003,
                    "The emulator does not issue refresh tokens.");
            return;
        }
        String clientId = form.get("client_id");
        String clientSecret = form.get("client_secret");
        Optional<String> basic = call.header("Authorization")
            .filter(value -> value.regionMatches(true, 0, "Basic ", 0, 6));
        if (basic.isPresent()) {
            String decoded = new String(Base64.getDecoder().decode(basic.get().substring(6).trim()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            clientId = java.net.URLDecoder.decode(decoded.substring(0, Math.max(0, colon)), StandardCharsets.UTF_8);
            clientSecret = java.net.URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
        }
        AuthorizationCode code = form.get("code") == null ? null : this.codes.remove(form.get("code"));
        if (code == null || code.expiresAt().isBefore(this.emulator.clock().instant())) {
            LoginApi.aadError(call, 400, "invalid_grant", 70008,
                    "The provided authorization code or refresh token has expired or was already used.");
            return;
        }
        EntraTenant tenant = code.tenant();
        if (clientId == null || !clientId.equalsIgnoreCase(code.clientId())) {
            LoginApi.aadError(call, 400, "invalid_grant", 700005,
                    "The provided authorization code is intended for another app.");
            return;
        }
        if (clientSecret != null && !clientSecret.equals(tenant.clientSecret())) {
            LoginApi.aadError(call, 401, "invalid_client", 7000215, "Invalid client secret provided.");
            return;
        }
        if (clientSecret == null && code.codeChallenge() == null) {
            LoginApi.aadError(call, 401, "invalid_client", 7000218,
                    "The request body must contain 'client_assertion' or 'client_secret'.");
            return;
        }
        if (!code.redirectUri().equals(form.get("redirect_uri"))) {
            LoginApi.aadError(call, 400, "invalid_grant", 50148,
                    "The redirect_uri does not match the one used to obtain the code.");
            return;
        }
        if (code.codeChallenge() != null && !pkceMatches(code, form.get("code_verifier"))) {
            LoginApi.aadError(call, 400, "invalid_grant", 501481,
                    "The Code_Verifier does not match the code_challenge supplied in the authorization request.");
            return;
        }
        EntraUser user = tenant.liveUser(code.userId());
        if (user == null || !user.accountEnabled()) {
            LoginApi.aadError(call, 400, "invalid_grant", 50057, "The user account is disabled or deleted.");
            return;
        }
        Instant now = this.emulator.clock().instant();
        Instant expires = now.plus(Duration.ofHours(1));
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
            .issuer(issuer(tenant.tenantId()))
            .audience(code.clientId())
            .subject(pairwiseSubject(user.id(), code.clientId()))
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now))
            .expirationTime(Date.from(expires))
            .claim("ver", "2.0")
            .claim("tid", tenant.tenantId())
            .claim("oid", user.id())
            .claim("preferred_username", user.userPrincipalName())
            .claim("name", user.displayName())
            .claim("aio", UUID.randomUUID().toString());
        if (code.nonce() != null) {
            claims.claim("nonce", code.nonce());
        }
        if (List.of(code.scope().split(" ")).contains("email") && user.mail() != null) {
            claims.claim("email", user.mail());
        }
        String idToken = this.emulator.login().sign(claims.build());
        String accessToken = token();
        this.signInTokens.put(accessToken, new SignInToken(tenant, user.id(), code.clientId(), expires));
        String scope = code.scope();
        call.respondJson(200, json -> {
            json.writeStartObject();
            json.writeStringProperty("token_type", "Bearer");
            json.writeStringProperty("scope", scope);
            json.writeNumberProperty("expires_in", 3599);
            json.writeStringProperty("access_token", accessToken);
            json.writeStringProperty("id_token", idToken);
            json.writeEndObject();
        });
    }

    private void userinfo(HttpCall call) {
        String header = call.header("Authorization").orElse("");
        SignInToken token = header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? this.signInTokens.get(header.substring(7).trim()) : null;
        if (token == null || token.expiresAt().isBefore(this.emulator.clock().instant())) {
            GraphApi.error(call, 401, "InvalidAuthenticationToken", "Access token is missing, unknown or expired.");
            return;
        }
        EntraUser user = token.tenant().user(token.userId()).orElseThrow();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", pairwiseSubject(user.id(), token.clientId()));
        claims.put("name", user.displayName());
        claims.put("family_name", user.surname());
        claims.put("given_name", user.givenName());
        if (user.mail() != null) {
            claims.put("email", user.mail());
        }
        call.respondValue(200, claims);
    }

    private static boolean pkceMatches(AuthorizationCode code, String verifier) {
        if (verifier == null) {
            return false;
        }
        if ("plain".equals(code.codeChallengeMethod())) {
            return verifier.equals(code.codeChallenge());
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).equals(code.codeChallenge());
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Entra's {@code sub} differs per app: a stable hash of the user and the client. */
    static String pairwiseSubject(String userId, String clientId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest((userId + "|" + clientId).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 43);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private String token() {
        byte[] bytes = new byte[32];
        this.random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
