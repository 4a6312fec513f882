package io.rollcall.sso;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

import io.rollcall.company.ApiKey;
import io.rollcall.company.ApiKeys;
import io.rollcall.company.Company;
import io.rollcall.company.CurrentCompany;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RollcallProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads {@code Authorization: Bearer ...} on the API. On a company's host it must be an active API key of that
 * company; on the bare base domain, the operator token. Anything else stays anonymous and is refused later.
 */
final class ApiCredentialsFilter extends OncePerRequestFilter {

	private final ApiKeys apiKeys;

	private final RollcallProperties properties;

	ApiCredentialsFilter(ApiKeys apiKeys, RollcallProperties properties) {
		this.apiKeys = apiKeys;
		this.properties = properties;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String header = request.getHeader("Authorization");
		if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
			String token = header.substring(7).strip();
			Optional<Company> company = CurrentCompany.of(request);
			if (company.isPresent()) {
				Optional<ApiKey> key = this.apiKeys.authenticate(company.get().id(), token);
				key.ifPresent(k -> signIn(new ApiCaller(new Actor(Actor.Type.API_KEY, k.id().toString(),
						"API key " + k.name()), company.get().id()), "ROLE_API"));
			}
			else if (this.properties.hasOperatorToken() && constantTimeEquals(token, this.properties.operatorToken())) {
				signIn(new ApiCaller(Actor.operator(), null), "ROLE_OPERATOR");
			}
		}
		chain.doFilter(request, response);
	}

	private static void signIn(ApiCaller caller, String role) {
		var authentication = UsernamePasswordAuthenticationToken.authenticated(caller, null,
				List.of(new SimpleGrantedAuthority(role)));
		var context = SecurityContextHolder.createEmptyContext();
		context.setAuthentication(authentication);
		SecurityContextHolder.setContext(context);
	}

	private static boolean constantTimeEquals(String a, String b) {
		return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
	}

}
