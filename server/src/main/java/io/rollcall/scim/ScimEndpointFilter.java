package io.rollcall.scim;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import io.rollcall.company.Company;
import io.rollcall.company.CurrentCompany;
import io.rollcall.platform.ActingPrincipal;
import io.rollcall.platform.Actor;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.util.Assert;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * Hands the requests on Users and Groups, nearly all of SCIM's traffic, straight to {@link ScimEndpoint}'s methods:
 * Spring MVC's generic dispatch (matching the path against every mapping, resolving arguments, choosing a
 * return-value handler) was a quarter of a lookup's CPU in the request threads (bench/RESULTS.md, twentieth session).
 * Whatever it does not recognise (discovery, the token endpoint, HEAD, OPTIONS, another method, an encoded or longer
 * path, a form, a Content-Type that does not parse) goes on to MVC, which stays the one reference for SCIM's mappings
 * and the API documentation; where it answers, it answers as MVC did.
 */
final class ScimEndpointFilter extends HttpFilter {

	private static final String BASE = "/scim/v2/";

	private final ScimEndpoint endpoint;

	ScimEndpointFilter(ScimEndpoint endpoint) {
		Assert.notNull(endpoint, "endpoint cannot be null");
		this.endpoint = endpoint;
	}

	@Override
	protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		ResponseEntity<byte[]> answer = answer(request);
		if (answer == null) {
			chain.doFilter(request, response);
			return;
		}
		write(answer, request, response);
	}

	/**
	 * Writes the answer as MVC's {@code HttpEntityMethodProcessor} did: a GET's 200 with a version the client has is a
	 * 304 ({@code If-None-Match}, compared weakly), and the body is flushed once written.
	 */
	private static void write(ResponseEntity<byte[]> answer, HttpServletRequest request, HttpServletResponse response)
			throws IOException {
		ServletServerHttpResponse out = new ServletServerHttpResponse(response);
		out.getHeaders().putAll(answer.getHeaders());
		int status = answer.getStatusCode().value();
		response.setStatus(status);
		if (status == 200 && "GET".equals(request.getMethod())) {
			String eTag = out.getHeaders().getETag();
			out.getHeaders().remove(HttpHeaders.ETAG);
			if (new ServletWebRequest(request, response).checkNotModified(eTag)) {
				out.flush();
				return;
			}
		}
		byte[] body = answer.getBody();
		if (body != null) {
			out.getHeaders().setContentLength(body.length);
			out.getBody().write(body);
		}
		out.flush();
	}

	/** The endpoint's answer, or null for a request left to MVC. */
	private ResponseEntity<byte[]> answer(HttpServletRequest request) throws IOException {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		Optional<Company> company = CurrentCompany.of(request);
		Charset charset = charset(request);
		if (!path.startsWith(BASE) || company.isEmpty() || charset == null
				|| !(request.getAttribute(ActingPrincipal.REQUEST_ATTRIBUTE) instanceof ActingPrincipal caller)) {
			return null;
		}
		String rest = path.substring(BASE.length());
		int slash = rest.indexOf('/');
		String id = slash < 0 ? null : rest.substring(slash + 1);
		// MVC decodes a path variable and drops matrix parameters; such paths are left to it.
		if (id != null && (id.isEmpty() || id.indexOf('/') >= 0 || id.indexOf('%') >= 0 || id.indexOf(';') >= 0)) {
			return null;
		}
		String resource = slash < 0 ? rest : rest.substring(0, slash);
		String route = request.getMethod() + " " + resource + (id == null ? "" : "/{id}");
		Company of = company.get();
		Actor actor = caller.actor();
		ResponseEntity<byte[]> answer = switch (route) {
			case "GET Users" -> this.endpoint.listUsers(of, request);
			case "GET Users/{id}" -> this.endpoint.getUser(of, id, request);
			case "POST Users" -> this.endpoint.createUser(of, body(request, charset), actor, request);
			case "PUT Users/{id}" ->
				this.endpoint.replaceUser(of, id, body(request, charset), ifMatch(request), actor, request);
			case "PATCH Users/{id}" ->
				this.endpoint.patchUser(of, id, body(request, charset), ifMatch(request), actor, request);
			case "DELETE Users/{id}" -> this.endpoint.deleteUser(of, id, ifMatch(request), actor, request);
			case "GET Groups" -> this.endpoint.listGroups(of, request);
			case "GET Groups/{id}" -> this.endpoint.getGroup(of, id, request);
			case "POST Groups" -> this.endpoint.createGroup(of, body(request, charset), actor, request);
			case "PUT Groups/{id}" ->
				this.endpoint.replaceGroup(of, id, body(request, charset), ifMatch(request), actor, request);
			case "PATCH Groups/{id}" ->
				this.endpoint.patchGroup(of, id, body(request, charset), ifMatch(request), actor, request);
			case "DELETE Groups/{id}" -> this.endpoint.deleteGroup(of, id, ifMatch(request), actor, request);
			default -> null;
		};
		if (answer != null) {
			// The pattern MVC's mapping gives http.server.requests' uri tag.
			ServerHttpObservationFilter.findObservationContext(request)
				.ifPresent(context -> context.setPathPattern(BASE + route.substring(route.indexOf(' ') + 1)));
		}
		return answer;
	}

	/**
	 * The charset MVC reads the body in: the one the Content-Type names, else UTF-8; null for a Content-Type that does
	 * not parse (MVC's own 415) or a form, whose body MVC reads from the parameters, re-encoded.
	 */
	private static Charset charset(HttpServletRequest request) {
		String contentType = request.getContentType();
		if (contentType == null) {
			return StandardCharsets.UTF_8;
		}
		try {
			MediaType type = MediaType.parseMediaType(contentType);
			if (MediaType.APPLICATION_FORM_URLENCODED.includes(type)) {
				return null;
			}
			return type.getCharset() != null ? type.getCharset() : StandardCharsets.UTF_8;
		}
		catch (InvalidMediaTypeException ex) {
			return null;
		}
	}

	/** The body as MVC's {@code @RequestBody(required = false) String} gives it: null when empty. */
	private static String body(HttpServletRequest request, Charset charset) throws IOException {
		byte[] bytes = request.getInputStream().readAllBytes();
		return bytes.length == 0 ? null : new String(bytes, charset);
	}

	/** If-Match as MVC's {@code @RequestHeader String} gives it: several headers joined with commas. */
	private static String ifMatch(HttpServletRequest request) {
		List<String> values = Collections.list(request.getHeaders("If-Match"));
		return values.isEmpty() ? null : String.join(",", values);
	}

	@Configuration(proxyBeanMethods = false)
	static class Registration {

		/** Last of SCIM's filters: after the token check ({@link ScimAuthenticationFilter}) has let the caller in. */
		@Bean
		FilterRegistrationBean<ScimEndpointFilter> scimEndpointFilter(ScimEndpoint endpoint) {
			var registration = new FilterRegistrationBean<>(new ScimEndpointFilter(endpoint));
			registration.setName("scimEndpointFilter");
			registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER + 2);
			registration.addUrlPatterns("/scim/v2/*");
			return registration;
		}

	}

}
