package io.rollcall.sso;

import java.io.Serializable;
import java.util.UUID;

import io.rollcall.directory.Role;
import io.rollcall.platform.ActingPrincipal;
import io.rollcall.platform.Actor;

import org.springframework.security.core.AuthenticatedPrincipal;

/**
 * A person signed in to the console or home page; kept in their session. Their name, as Spring Security asks it, is
 * their stable id: the OpenID Provider issues tokens to that name ({@code sub}) and checks it at sign-out.
 *
 * @param signedInWith how they signed in: {@link #PASSWORD} or {@link #SINGLE_SIGN_ON} (what an application's
 * recent sign-ins show)
 */
public record SignedInPerson(UUID personId, UUID companyId, String email, String displayName, Role role,
		String signedInWith) implements ActingPrincipal, AuthenticatedPrincipal, Serializable {

	public static final String PASSWORD = "password";

	public static final String SINGLE_SIGN_ON = "sso";

	@Override
	public String getName() {
		return this.personId.toString();
	}

	@Override
	public Actor actor() {
		return new Actor(Actor.Type.PERSON, this.personId.toString(), this.email);
	}

}
