package io.rollcall.sso;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.rollcall.company.Company;
import io.rollcall.company.CurrentCompany;
import io.rollcall.directory.People;
import io.rollcall.directory.Person;
import io.rollcall.directory.Role;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.stereotype.Component;

/**
 * E-mail and password sign-in, within the company the host names: the same e-mail in another company is
 * another account.
 */
@Component
class PasswordSignIn implements AuthenticationProvider {

	private final People people;

	private final Credentials credentials;

	private final SingleSignOn singleSignOn;

	PasswordSignIn(People people, Credentials credentials, SingleSignOn singleSignOn) {
		this.people = people;
		this.credentials = credentials;
		this.singleSignOn = singleSignOn;
	}

	@Override
	public Authentication authenticate(Authentication authentication) throws AuthenticationException {
		Company company = CurrentCompany.get()
			.orElseThrow(() -> new BadCredentialsException("Sign in at your company's own address"));
		String email = String.valueOf(authentication.getPrincipal()).strip();
		String password = String.valueOf(authentication.getCredentials());
		Optional<Person> person = this.people.findByEmail(company.id(), email);
		Credentials.Outcome outcome = this.credentials.verify(person.map(Person::id), password);
		switch (outcome) {
			case LOCKED -> throw new LockedException("Too many failed sign-ins: this account is locked for "
					+ this.credentials.lockDuration().toMinutes() + " minutes");
			case WRONG -> throw new BadCredentialsException("Wrong e-mail or password");
			case SIGNED_IN -> {
				// Said only to someone who knows the password: to anyone else a deactivated account is a wrong one.
				if (!person.get().active()) {
					throw new DeactivatedAccountException();
				}
				// Checked after the password, so the answer tells nothing to someone who does not know it. Owners
				// keep their password as the break-glass way in when the provider is down or misconfigured.
				if (person.get().role() != Role.OWNER && !this.singleSignOn.allowsPassword(company.id())) {
					throw new DisabledException("This company signs in with single sign-on");
				}
				return signedIn(person.get(), company.id(), SignedInPerson.PASSWORD);
			}
		}
		throw new IllegalStateException(outcome.name());
	}

	static UsernamePasswordAuthenticationToken signedIn(Person person, UUID companyId, String signedInWith) {
		SignedInPerson principal = new SignedInPerson(person.id(), companyId, person.email(), person.displayName(),
				person.role(), signedInWith);
		return UsernamePasswordAuthenticationToken.authenticated(principal, null,
				List.of(new SimpleGrantedAuthority("ROLE_" + person.role().name())));
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
	}

}
