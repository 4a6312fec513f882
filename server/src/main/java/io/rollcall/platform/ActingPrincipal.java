package io.rollcall.platform;

import java.util.UUID;

/**
 * A signed-in caller that acts for one company: a person in the console or an API key. Controllers declare an
 * {@link Actor} parameter to learn who is acting.
 */
public interface ActingPrincipal {

	Actor actor();

	/** The company the caller belongs to; null for the operator. */
	UUID companyId();

}
