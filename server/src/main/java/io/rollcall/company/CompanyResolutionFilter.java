package io.rollcall.company;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Finds the company a request is for from its Host header, before security runs. A host that names an unknown
 * company gets a 404 here and never reaches any company's data.
 */
final class CompanyResolutionFilter extends OncePerRequestFilter {

	private final CompanyHosts hosts;

	private final Companies companies;

	CompanyResolutionFilter(CompanyHosts hosts, Companies companies) {
		this.hosts = hosts;
		this.companies = companies;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Optional<String> slug = this.hosts.slugOf(request.getHeader("Host"));
		if (slug.isPresent()) {
			Optional<Company> company = this.companies.findBySlug(slug.get());
			if (company.isEmpty()) {
				unknownCompany(request, response, slug.get());
				return;
			}
			CurrentCompany.set(request, company.get());
		}
		chain.doFilter(request, response);
	}

	private static void unknownCompany(HttpServletRequest request, HttpServletResponse response, String slug)
			throws IOException {
		response.setStatus(HttpServletResponse.SC_NOT_FOUND);
		String accept = String.valueOf(request.getHeader("Accept"));
		boolean html = accept.contains(MediaType.TEXT_HTML_VALUE) && !request.getRequestURI().startsWith("/api/");
		String safeSlug = slug.replaceAll("[^a-z0-9-]", "");
		if (html) {
			response.setContentType("text/html;charset=UTF-8");
			response.getWriter()
				.write("""
						<!doctype html><html lang="en"><head><meta charset="utf-8"><title>No such company</title></head>
						<body style="font-family:system-ui;max-width:40rem;margin:4rem auto">
						<h1>No such company</h1><p>There is no company at <strong>%s</strong>. Check the address you were given.</p>
						</body></html>"""
					.formatted(safeSlug));
		}
		else {
			response.setContentType("application/problem+json");
			response.getWriter()
				.write("""
						{"type":"about:blank","title":"Not Found","status":404,"detail":"There is no company '%s' at this address"}"""
					.formatted(safeSlug));
		}
	}

}
