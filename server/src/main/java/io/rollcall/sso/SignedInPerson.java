package io.rollcall.sso;

import java.io.Serializable;
import java.util.UUID;

import io.rollcall.directory.Role;
import io.rollcall.platform.ActingPrincipal;
import io.rollcall.platform.Actor;

/** A person signed in to the console or home page; kept in their session. */
public record SignedInPerson(UUID personId, UUID companyId, String email, String displayName, Role role)
		implements ActingPrincipal, Serializable {

	@Override
	public Actor actor() {
		return new Actor(Actor.Type.PERSON, this.personId.toString(), this.email);
	}

}
