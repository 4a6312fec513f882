package io.rollcall.identityprovider;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A token, introspection or revocation request's parameters, read and checked once. Spring Security's firewall
 * checks every parameter name and value each time the map is asked for, and Spring Authorization Server asks for it
 * in each client-authentication converter and again in the endpoint's own: five to seven times a token request, a
 * fiftieth of its CPU. The firewall's checks still run, on the first read.
 */
final class FormParametersReadOnce extends OncePerRequestFilter {

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !"POST".equals(request.getMethod());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		chain.doFilter(new ReadOnce(request), response);
	}

	private static final class ReadOnce extends HttpServletRequestWrapper {

		private Map<String, String[]> parameters;

		ReadOnce(HttpServletRequest request) {
			super(request);
		}

		@Override
		public Map<String, String[]> getParameterMap() {
			if (this.parameters == null) {
				// The container's map is unmodifiable already; kept as it is.
				this.parameters = super.getParameterMap();
			}
			return this.parameters;
		}

		@Override
		public String getParameter(String name) {
			String[] values = getParameterMap().get(name);
			return values == null || values.length == 0 ? null : values[0];
		}

		@Override
		public String[] getParameterValues(String name) {
			String[] values = getParameterMap().get(name);
			return values == null ? null : values.clone();
		}

		@Override
		public Enumeration<String> getParameterNames() {
			return Collections.enumeration(getParameterMap().keySet());
		}

	}

}
