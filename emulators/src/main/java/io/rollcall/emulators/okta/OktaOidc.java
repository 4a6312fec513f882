package io.rollcall.emulators.okta;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.rollcall.emulators.http.HttpCall;

/**
 * OAuth 2.0 and OpenID Connect on the org authorization server ({@code /oauth2/v1/...}, issuer = org URL)
 * and custom ones ({@code /oauth2/{serverId}/v1/...}, issuer {@code {orgUrl}/oauth2/{serverId}}): discovery,
 * JWKS, authorize (code + PKCE; only users assigned to the client's app), token (authorization code, and client
 * credentials for the service app on the org server), userinfo. {@code sub} is the Okta user id.
 */
final class OktaOidc {

    static final Set<String> SERVICE_SCOPES = Set.of("okta.users.read", "okta.apps.read");

    /** A service-app access token for the management API. */
    record ServiceToken(Set<String> scopes, Instant expiresAt) {
    }

    private record Code(String server, String userId, String clientId, String redirectUri, String nonce,
            String challenge,
            String challengeMethod, String scope, Instant expiresAt) {
    }

    private record SignInToken(String server, String userId, Instant expiresAt) {
    }

    private final OktaEmulator emulator;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, ServiceToken> serviceTokens = new ConcurrentHashMap<>();
    private final Map<String, Code> codes = new ConcurrentHashMap<>();
    private final Map<String, SignInToken> signInTokens = new ConcurrentHashMap<>();

    OktaOidc(OktaEmulator emulator) {
        this.emulator = emulator;
    }

    Optional<ServiceToken> serviceToken(String token) {
        ServiceToken found = this.serviceTokens.get(token);
        return found == null || found.expiresAt().isBefore(this.emulator.clock().instant()) ? Optional.empty()
                : Optional.of(found);
    }

    void handle(HttpCall call) {
        List<String> s = call.segments();
        // The org server: /.well-known/openid-configuration and /oauth2/v1/*; custom: /oauth2/{id}/...
        String server;
        List<String> rest;
        if (!s.isEmpty() && s.get(0).equals(".well-known")) {
            server = null;
            rest = s;
        }
        else if (s.size() >= 3 && s.get(0).equals("oauth2") && s.get(1).equals("v1")) {
            server = null;
            rest = s.subList(1, s.size());
        }
        else if (s.size() >= 3 && s.get(0).equals("oauth2")) {
            server = s.get(1);
            rest = s.subList(2, s.size());
            if (!this.emulator.org().authorizationServerExists(server)) {
                ManagementApi.error(call, 404, "E0000007",
                        "Not found: Resource not found: " + server + " (AuthorizationServer)");
                return;
            }
        }
        else {
            call.respondText(404, "text/plain; charset=utf-8", "No such endpoint: " + call.path());
            return;
        }
        String joined = String.join("/", rest);
        switch (joined) {
            case ".well-known/openid-configuration", ".well-known/oauth-authorization-server" ->
                discovery(call, server);
            case "v1/keys" -> call.respondJson(200,
                    json -> json.writeRawValue(new JWKSet(this.emulator.signingKey().toPublicJWK()).toString()));
            case "v1/authorize" -> authorize(call, server);
            case "v1/token" -> {
                if (call.method().equals("POST")) {
                    token(call, server);
                }
                else {
                    oauthError(call, 405, "invalid_request", "The token endpoint takes POST.");
                }
            }
            case "v1/userinfo" -> userinfo(call, server);
            case "v1/logout" -> {
                String target = call.query("post_logout_redirect_uri").orElse(null);
                if (target != null) {
                    call.redirect(target);
                }
                else {
                    call.respondText(200, "text/html; charset=utf-8", page("Signed out", "<p>You signed out.</p>"));
                }
            }
            default -> call.respondText(404, "text/plain; charset=utf-8", "No such endpoint: " + call.path());
        }
    }

    private String issuer(String server) {
        return server == null ? this.emulator.baseUrl() : this.emulator.baseUrl() + "/oauth2/" + server;
    }

    private String endpoints(String server) {
        return server == null ? this.emulator.baseUrl() + "/oauth2/v1"
                : this.emulator.baseUrl() + "/oauth2/" + server + "/v1";
    }

    private void discovery(HttpCall call, String server) {
        String base = endpoints(server);
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("issuer", issuer(server));
        document.put("authorization_endpoint", base + "/authorize");
        document.put("token_endpoint", base + "/token");
        document.put("userinfo_endpoint", base + "/userinfo");
        document.put("registration_endpoint", this.emulator.baseUrl() + "/oauth2/v1/clients");
        document.put("jwks_uri", base + "/keys");
        document.put("response_types_supported",
                List.of("code", "id_token", "code id_token", "code token", "id_token token", "code id_token token"));
        document.put("response_modes_supported", List.of("query", "fragment", "form_post", "okta_post_message"));
        document.put("grant_types_supported",
                List.of("authorization_code", "implicit", "refresh_token", "password", "client_credentials"));
        document.put("subject_types_supported", List.of("public"));
        document.put("id_token_signing_alg_values_supported", List.of("RS256"));
        document.put("scopes_supported",
                List.of("openid", "email", "profile", "address", "phone", "offline_access", "groups"));
        document.put("token_endpoint_auth_methods_supported",
                List.of("client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt", "none"));
        document.put("claims_supported",
                List.of("iss", "ver", "sub", "aud", "iat", "exp", "jti", "auth_time", "amr", "idp", "nonce",
                        "name", "nickname", "preferred_username", "given_name", "middle_name", "family_name", "email",
                        "email_verified",
                        "profile", "zoneinfo", "locale", "address", "phone_number", "picture", "website", "gender",
                        "birthdate", "updated_at",
                        "at_hash", "c_hash"));
        document.put("code_challenge_methods_supported", List.of("S256"));
        document.put("end_session_endpoint", base + "/logout");
        document.put("request_parameter_supported", true);
        call.respondValue(200, document);
    }

    private void authorize(HttpCall call, String server) {
        Map<String, String> params = new LinkedHashMap<>(call.query());
        if (call.method().equals("POST")) {
            params.putAll(call.form());
        }
        OktaOrg org = this.emulator.org();
        String clientId = params.get("client_id");
        String redirectUri = params.get("redirect_uri");
        String state = params.get("state");
        if (org.appSecret(clientId).isEmpty()) {
            call.respondText(400, "text/html; charset=utf-8",
                    page("Sign in", "<p>Invalid client_id: the client is not registered.</p>"));
            return;
        }
        if (redirectUri == null || !(redirectUri.startsWith("http://") || redirectUri.startsWith("https://"))) {
            call.respondText(400, "text/html; charset=utf-8", page("Sign in",
                    "<p>The 'redirect_uri' parameter must be a Login redirect URI in the client app settings.</p>"));
            return;
        }
        String separator = redirectUri.contains("?") ? "&" : "?";
        String stateParam = state == null ? "" : "&state=" + encode(state);
        if (!"code".equals(params.get("response_type"))) {
            call.redirect(redirectUri + separator + "error=unsupported_response_type&error_description="
                    + encode("The emulator supports response_type=code only.") + stateParam);
            return;
        }
        String scope = params.getOrDefault("scope", "");
        if (!List.of(scope.split(" ")).contains("openid")) {
            call.redirect(redirectUri + separator + "error=invalid_scope&error_description="
                    + encode("The authentication request has an invalid 'scope' parameter.") + stateParam);
            return;
        }
        String challenge = params.get("code_challenge");
        String method = params.getOrDefault("code_challenge_method", challenge == null ? null : "S256");
        if (challenge != null && !"S256".equals(method)) {
            call.redirect(redirectUri + separator + "error=invalid_request&error_description="
                    + encode("PKCE code challenge method is not supported. It must be 'S256'.") + stateParam);
            return;
        }
        String login = params.containsKey("username") ? params.get("username") : params.get("login_hint");
        OktaUser user = login == null || login.isBlank() ? null : org.user(login.trim()).orElse(null);
        if (user == null) {
            String error = login == null || login.isBlank() ? ""
                    : "<p style='color:#b00'>Unable to sign in: no user " + escape(login) + ".</p>";
            StringBuilder hidden = new StringBuilder();
            params.forEach((name, value) -> {
                if (!name.equals("username")) {
                    hidden.append("<input type='hidden' name='")
                        .append(escape(name))
                        .append("' value='")
                        .append(escape(value))
                        .append("'>");
                }
            });
            call.respondText(200, "text/html; charset=utf-8", page("Sign in", error + "<form method='post'>" + hidden
                    + "<label>Username <input name='username' id='okta-signin-username' autofocus></label> "
                    + "<button id='okta-signin-submit' type='submit'>Sign in</button></form>"));
            return;
        }
        if (!user.active()) {
            call.redirect(redirectUri + separator + "error=access_denied&error_description="
                    + encode("User is not active.") + stateParam);
            return;
        }
        if (!org.assigned(clientId, user.id())) {
            call.redirect(redirectUri + separator + "error=access_denied&error_description="
                    + encode("User is not assigned to the client application.") + stateParam);
            return;
        }
        String code = token();
        this.codes.put(code,
                new Code(server, user.id(), clientId, redirectUri, params.get("nonce"), challenge, method, scope,
                        this.emulator.clock().instant().plus(Duration.ofMinutes(5))));
        this.emulator.counters().add("signIns", 1);
        call.redirect(redirectUri + separator + "code=" + encode(code) + stateParam);
    }

    private void token(HttpCall call, String server) {
        Map<String, String> form = call.form();
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
        String grantType = form.getOrDefault("grant_type", "");
        switch (grantType) {
            case "client_credentials" -> clientCredentials(call, server, form, clientId, clientSecret);
            case "authorization_code" -> codeExchange(call, server, form, clientId, clientSecret);
            default -> oauthError(call, 400, "unsupported_grant_type",
                    "The authorization grant type is not supported by the authorization server.");
        }
    }

    private void clientCredentials(HttpCall call, String server, Map<String, String> form, String clientId,
            String secret) {
        OktaOrg org = this.emulator.org();
        if (clientId == null || !clientId.equals(org.serviceClientId()) || secret == null
                || !secret.equals(org.serviceClientSecret())) {
            oauthError(call, 401, "invalid_client", "Client authentication failed.");
            return;
        }
        Set<String> scopes = new LinkedHashSet<>(List.of(form.getOrDefault("scope", "").trim().split("\\s+")));
        scopes.remove("");
        if (scopes.isEmpty() || !SERVICE_SCOPES.containsAll(scopes) || server != null) {
            oauthError(call, 400, "invalid_scope",
                    "The authorization server resource does not have any configured default scopes, "
                            + "'scope' must be provided; Okta API scopes are issued by the org authorization server only.");
            return;
        }
        Instant expires = this.emulator.clock().instant().plus(this.emulator.options().accessTokenLifetime());
        String token = token();
        this.serviceTokens.put(token, new ServiceToken(Set.copyOf(scopes), expires));
        this.emulator.counters().add("tokensIssued", 1);
        long expiresIn = this.emulator.options().accessTokenLifetime().toSeconds();
        String scope = String.join(" ", scopes);
        call.respondJson(200, json -> {
            json.writeStartObject();
            json.writeStringProperty("token_type", "Bearer");
            json.writeNumberProperty("expires_in", expiresIn);
            json.writeStringProperty("access_token", token);
            json.writeStringProperty("scope", scope);
            json.writeEndObject();
        });
    }

    private void codeExchange(HttpCall call, String server, Map<String, String> form, String clientId, String secret) {
        OktaOrg org = this.emulator.org();
        Code code = form.get("code") == null ? null : this.codes.remove(form.get("code"));
        if (code == null || code.expiresAt().isBefore(this.emulator.clock().instant())
                || !java.util.Objects.equals(code.server(), server)) {
            oauthError(call, 400, "invalid_grant", "The authorization code is invalid or has expired.");
            return;
        }
        if (clientId == null || !clientId.equals(code.clientId())) {
            oauthError(call, 401, "invalid_client", "Client authentication failed.");
            return;
        }
        if (secret != null && !secret.equals(org.appSecret(code.clientId()).orElse(null))) {
            oauthError(call, 401, "invalid_client", "The client secret supplied for a confidential client is invalid.");
            return;
        }
        if (secret == null && code.challenge() == null) {
            oauthError(call, 401, "invalid_client",
                    "Client authentication failed. Either the client or the client credentials are invalid.");
            return;
        }
        if (!code.redirectUri().equals(form.get("redirect_uri"))) {
            oauthError(call, 400, "invalid_grant",
                    "The 'redirect_uri' does not match the redirection URI used in the authorization request.");
            return;
        }
        if (code.challenge() != null && !pkceMatches(code.challenge(), form.get("code_verifier"))) {
            oauthError(call, 400, "invalid_grant", "PKCE verification failed.");
            return;
        }
        OktaUser user = org.user(code.userId()).orElse(null);
        if (user == null || !user.active()) {
            oauthError(call, 400, "invalid_grant", "The user is not active.");
            return;
        }
        Instant now = this.emulator.clock().instant();
        Instant expires = now.plus(Duration.ofHours(1));
        Set<String> scopes = Set.of(code.scope().split(" "));
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
            .issuer(issuer(server))
            .audience(code.clientId())
            .subject(user.id())
            .issueTime(Date.from(now))
            .expirationTime(Date.from(expires))
            .jwtID("ID." + token())
            .claim("ver", 1)
            .claim("amr", List.of("pwd"))
            .claim("idp", "00o" + "rollcallidp000000rc7")
            .claim("auth_time", now.getEpochSecond());
        if (code.nonce() != null) {
            claims.claim("nonce", code.nonce());
        }
        if (scopes.contains("email")) {
            claims.claim("email", user.email());
            claims.claim("email_verified", true);
        }
        if (scopes.contains("profile")) {
            claims.claim("name", OktaOrg.displayName(user));
            claims.claim("preferred_username", user.login());
            claims.claim("given_name", user.profile("firstName"));
            claims.claim("family_name", user.profile("lastName"));
            if (user.profile("locale") != null) {
                claims.claim("locale", user.profile("locale"));
            }
        }
        String idToken = sign(claims.build());
        String accessToken = token();
        this.signInTokens.put(accessToken, new SignInToken(server, user.id(), expires));
        String scope = code.scope();
        call.respondJson(200, json -> {
            json.writeStartObject();
            json.writeStringProperty("token_type", "Bearer");
            json.writeNumberProperty("expires_in", 3600);
            json.writeStringProperty("access_token", accessToken);
            json.writeStringProperty("scope", scope);
            json.writeStringProperty("id_token", idToken);
            json.writeEndObject();
        });
    }

    private void userinfo(HttpCall call, String server) {
        String header = call.header("Authorization").orElse("");
        SignInToken token = header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? this.signInTokens.get(header.substring(7).trim()) : null;
        if (token == null || token.expiresAt().isBefore(this.emulator.clock().instant())
                || !java.util.Objects.equals(token.server(), server)) {
            call.responseHeader("WWW-Authenticate",
                    "Bearer error=\"invalid_token\", error_description=\"The access token is invalid.\"");
            call.respondEmpty(401);
            return;
        }
        OktaUser user = this.emulator.org().user(token.userId()).orElse(null);
        if (user == null) {
            call.respondEmpty(401);
            return;
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", user.id());
        claims.put("name", OktaOrg.displayName(user));
        claims.put("preferred_username", user.login());
        claims.put("given_name", user.profile("firstName"));
        claims.put("family_name", user.profile("lastName"));
        claims.put("email", user.email());
        claims.put("email_verified", true);
        call.respondValue(200, claims);
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

    private static boolean pkceMatches(String challenge, String verifier) {
        if (verifier == null) {
            return false;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).equals(challenge);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    static void oauthError(HttpCall call, int status, String error, String description) {
        String id = UUID.randomUUID().toString();
        call.respondJson(status, json -> {
            json.writeStartObject();
            json.writeStringProperty("errorCode", error);
            json.writeStringProperty("errorSummary", description);
            json.writeStringProperty("errorLink", error);
            json.writeStringProperty("errorId", "oae" + id.replace("-", "").substring(0, 19));
            json.writeArrayPropertyStart("errorCauses");
            json.writeEndArray();
            json.writeStringProperty("error", error);
            json.writeStringProperty("error_description", description);
            json.writeEndObject();
        });
    }

    private String token() {
        byte[] bytes = new byte[32];
        this.random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
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

    static String page(String title, String body) {
        return "<!doctype html><html><head><meta charset='utf-8'><title>" + escape(title) + "</title></head><body>"
                + "<h1>" + escape(title) + "</h1>" + body + "<p><small>Okta emulator</small></p></body></html>";
    }
}
