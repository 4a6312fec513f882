package io.rollcall.sso;

import org.springframework.security.authentication.AccountStatusException;

/** The right password of a deactivated person: the sign-in is refused with the reason, as at single sign-on. */
final class DeactivatedAccountException extends AccountStatusException {

	DeactivatedAccountException() {
		super("This account is deactivated");
	}

}
