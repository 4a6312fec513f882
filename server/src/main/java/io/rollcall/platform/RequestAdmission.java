package io.rollcall.platform;

import java.io.IOException;
import java.util.function.Predicate;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.util.Assert;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Requests to one path take turns ({@link RequestTurns}); one that finds the queue full is refused in its protocol's
 * words, which only the module serving it knows (SCIM's error schema, OAuth's error JSON). The turn-taking is the
 * same for every protocol and lives here once; each module gives its path, its turns and its {@link Refusal}.
 */
public final class RequestAdmission extends OncePerRequestFilter {

	/** Answers a request that was not taken because {@code maxWaiting} requests already wait. */
	@FunctionalInterface
	public interface Refusal {

		void refuse(HttpServletRequest request, HttpServletResponse response, int maxWaiting) throws IOException;

	}

	private final String urlPattern;

	private final RequestTurns turns;

	private final Refusal refusal;

	private final Predicate<HttpServletRequest> takesTurns;

	/**
	 * @param urlPattern a servlet URL pattern, exact ({@code /oauth2/token}) or a prefix ({@code /scim/*}): the filter
	 * is registered for it and takes turns only for requests it names
	 */
	public RequestAdmission(String urlPattern, RequestTurns turns, Refusal refusal) {
		this(urlPattern, turns, refusal, request -> true);
	}

	/**
	 * @param takesTurns which of the requests the pattern names take turns; the others (a provider's URL check, which
	 * touches no database and must not fail for a busy node) go straight through
	 */
	public RequestAdmission(String urlPattern, RequestTurns turns, Refusal refusal,
			Predicate<HttpServletRequest> takesTurns) {
		Assert.hasText(urlPattern, "urlPattern cannot be empty");
		Assert.notNull(turns, "turns cannot be null");
		Assert.notNull(refusal, "refusal cannot be null");
		Assert.notNull(takesTurns, "takesTurns cannot be null");
		this.urlPattern = urlPattern;
		this.turns = turns;
		this.refusal = refusal;
		this.takesTurns = takesTurns;
	}

	/** How many requests wait for their turn now. */
	public int waiting() {
		return this.turns.waiting();
	}

	/** Public so a module's tests can show which of its paths take turns. */
	@Override
	public boolean shouldNotFilter(HttpServletRequest request) {
		String uri = request.getRequestURI();
		boolean named = this.urlPattern.endsWith("/*")
				? uri.startsWith(this.urlPattern.substring(0, this.urlPattern.length() - 1))
				: this.urlPattern.equals(uri);
		return !named || !this.takesTurns.test(request);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!this.turns.inTurn(() -> chain.doFilter(request, response))) {
			this.refusal.refuse(request, response, this.turns.maxWaiting());
		}
	}

	/**
	 * This filter registered as {@code name} for its URL pattern at {@code order}, and the number of requests waiting
	 * published as the gauge {@code waitingGauge}. The name is given, not deduced from the class: the servlet container
	 * would keep only the first of two filters both named {@code requestAdmission}.
	 */
	public FilterRegistrationBean<RequestAdmission> registration(String name, int order, String waitingGauge,
			String description, MeterRegistry meters) {
		Gauge.builder(waitingGauge, this, RequestAdmission::waiting).description(description).register(meters);
		return registration(name, order);
	}

	/** The same without a gauge: for filters whose turns are shared and published once by their owner. */
	public FilterRegistrationBean<RequestAdmission> registration(String name, int order) {
		var registration = new FilterRegistrationBean<>(this);
		registration.setName(name);
		registration.setOrder(order);
		registration.addUrlPatterns(this.urlPattern);
		return registration;
	}

}
