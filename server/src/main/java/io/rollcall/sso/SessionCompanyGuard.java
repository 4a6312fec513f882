package io.rollcall.sso;

import java.io.IOException;
import java.util.Optional;

import io.rollcall.company.Company;
import io.rollcall.company.CurrentCompany;
import io.rollcall.directory.People;
import io.rollcall.directory.Person;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Checks a signed-in session on every request: it only counts on its own company's host, and a person who has
 * been deactivated since is signed out at once; a role changed since takes effect at once.
 */
final class SessionCompanyGuard extends OncePerRequestFilter {

	private final People people;

	SessionCompanyGuard(People people) {
		this.people = people;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication != null && authentication.getPrincipal() instanceof SignedInPerson signedIn) {
			Optional<Company> company = CurrentCompany.of(request);
			if (company.isEmpty() || !company.get().id().equals(signedIn.companyId())) {
				// Another company's session: this request is anonymous; the session itself is left alone.
				SecurityContextHolder.clearContext();
			}
			else {
				Optional<Person> person = this.people.find(signedIn.companyId(), signedIn.personId())
					.filter(Person::active);
				if (person.isEmpty()) {
					SecurityContextHolder.clearContext();
					HttpSession session = request.getSession(false);
					if (session != null) {
						session.invalidate();
					}
				}
				else if (person.get().role() != signedIn.role()) {
					SecurityContext context = SecurityContextHolder.createEmptyContext();
					context.setAuthentication(
							PasswordSignIn.signedIn(person.get(), signedIn.companyId(), signedIn.signedInWith()));
					SecurityContextHolder.setContext(context);
					request.getSession()
						.setAttribute(
								HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY, context);
				}
			}
		}
		chain.doFilter(request, response);
	}

}
