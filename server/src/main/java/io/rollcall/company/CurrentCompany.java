package io.rollcall.company;

import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * The company of the request being served, as its host named it. Controllers may instead declare a
 * {@link Company} parameter.
 */
public final class CurrentCompany {

	private static final String ATTRIBUTE = CurrentCompany.class.getName();

	private CurrentCompany() {
	}

	static void set(HttpServletRequest request, Company company) {
		request.setAttribute(ATTRIBUTE, company);
	}

	public static Optional<Company> of(HttpServletRequest request) {
		return Optional.ofNullable((Company) request.getAttribute(ATTRIBUTE));
	}

	/** The current request's company, if there is a request and its host names one. */
	public static Optional<Company> get() {
		RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
		if (attributes == null) {
			return Optional.empty();
		}
		return Optional.ofNullable((Company) attributes.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST));
	}

}
