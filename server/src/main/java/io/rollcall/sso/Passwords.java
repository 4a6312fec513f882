package io.rollcall.sso;

import java.util.UUID;

import io.rollcall.directory.People;
import io.rollcall.platform.Actor;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Sets a person's password directly, for set-ups (like the demo) where no invitation is wanted. */
@Service
public class Passwords {

	private final People people;

	private final Credentials credentials;

	Passwords(People people, Credentials credentials) {
		this.people = people;
		this.credentials = credentials;
	}

	@Transactional
	public void set(UUID companyId, UUID personId, String password, Actor actor) {
		this.credentials.setPassword(companyId, this.people.get(companyId, personId), password, actor);
	}

}
