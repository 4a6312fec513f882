package io.rollcall.scim;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.rollcall.company.Company;
import io.rollcall.company.CurrentCompany;
import io.rollcall.platform.ActingPrincipal;
import io.rollcall.platform.Actor;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * How SCIM clients sign in, for the security rules to plug in: a bearer token (a secret token, or an access token
 * from the client credentials grant) of the company the host names. A valid token of a company whose SCIM server is
 * off gets {@code ROLE_SCIM_OFF} and a 403; anything else stays anonymous and gets a 401; a company over its
 * request rate (on all nodes together) gets a 429 with Retry-After. All as SCIM errors.
 */
@Component
public class ScimAuthentication {

	/** The authority of a SCIM client allowed in. */
	public static final String ROLE = "SCIM";

	private final ScimTokens tokens;

	private final ScimSettingsStore settings;

	private final ScimRateLimit rateLimit;

	private final String ratePolicy;

	/** @param perSecond the company's limit on all nodes together; 0 for {@link ScimRateLimit#forThisNode()} */
	ScimAuthentication(ScimTokens tokens, ScimSettingsStore settings, ScimRateLeases leases,
			@Value("${rollcall.scim.requests-per-second:0}") int perSecond) {
		this.tokens = tokens;
		this.settings = settings;
		this.rateLimit = new ScimRateLimit(perSecond > 0 ? perSecond : ScimRateLimit.forThisNode(),
				System::currentTimeMillis, leases);
		this.ratePolicy = "\"company\";q=" + this.rateLimit.perSecond() + ";w=1";
	}

	/** A SCIM client signed in with a token of {@code companyId}. */
	record ScimCaller(Actor actor, UUID companyId) implements ActingPrincipal {
	}

	public Filter filter() {
		return new OncePerRequestFilter() {
			@Override
			protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
					throws ServletException, IOException {
				Optional<UUID> company = authenticate(request);
				if (company.isPresent()) {
					ScimRateLimit.Decision decision = ScimAuthentication.this.rateLimit.admit(company.get());
					rateLimitFields(response, decision);
					if (!decision.admitted()) {
						response.setHeader("Retry-After", String.valueOf(decision.resetSeconds()));
						error(request, response, 429, "More than " + decision.limit()
								+ " SCIM requests this second for this company (its limit on all nodes together); retry in "
								+ decision.resetMillis() + " ms, when the next second begins (Retry-After)");
						return;
					}
				}
				chain.doFilter(request, response);
			}
		};
	}

	/**
	 * The limit and what is left of it, on every response a company's client gets, so that it can slow down before it
	 * is refused: the IETF httpapi draft's fields (draft-ietf-httpapi-ratelimit-headers), whose reset is in seconds from
	 * now, not a time by a clock the client may not share (Okta's and GitHub's {@code X-Rate-Limit-Reset}).
	 */
	private void rateLimitFields(HttpServletResponse response, ScimRateLimit.Decision decision) {
		response.setHeader("RateLimit-Policy", this.ratePolicy);
		response.setHeader("RateLimit",
				"\"company\";r=" + decision.remaining() + ";t=" + decision.resetSeconds());
	}

	/** The company the request is signed in for, if its token is valid. */
	private Optional<UUID> authenticate(HttpServletRequest request) {
		String header = request.getHeader("Authorization");
		Optional<Company> company = CurrentCompany.of(request);
		if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || company.isEmpty()) {
			return Optional.empty();
		}
		Optional<ScimTokens.Holder> holder = this.tokens.authenticate(company.get().id(), header.substring(7).strip());
		if (holder.isEmpty()) {
			return Optional.empty();
		}
		String role = this.settings.get(company.get().id()).enabled() ? "ROLE_" + ROLE : "ROLE_SCIM_OFF";
		var caller = new ScimCaller(new Actor(Actor.Type.SOURCE, "scim", "SCIM (" + holder.get().name() + ")"),
				company.get().id());
		var context = SecurityContextHolder.createEmptyContext();
		context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(caller, null,
				List.of(new SimpleGrantedAuthority(role))));
		SecurityContextHolder.setContext(context);
		return Optional.of(company.get().id());
	}

	public AuthenticationEntryPoint entryPoint() {
		return (request, response, ex) -> error(request, response, 401,
				"Send a SCIM token of this company as 'Authorization: Bearer <token>' (Tenant URL and tokens are in the console under SCIM)");
	}

	public AccessDeniedHandler accessDeniedHandler() {
		return (request, response, ex) -> error(request, response, 403,
				"SCIM provisioning is turned off for this company; an admin can turn it on in the console under SCIM");
	}

	private static void error(HttpServletRequest request, HttpServletResponse response, int status, String detail)
			throws IOException {
		if (status == 401) {
			response.setHeader("WWW-Authenticate", "Bearer realm=\"SCIM\"");
		}
		ScimRequestLogFilter.refuse(request, response, status, detail);
	}

}
