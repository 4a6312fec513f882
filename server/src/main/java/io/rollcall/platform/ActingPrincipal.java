package io.rollcall.platform;

import java.util.UUID;

/**
 * A signed-in caller that acts for one company: a person in the console or an API key. Controllers declare an
 * {@link Actor} parameter to learn who is acting.
 */
public interface ActingPrincipal {

	/**
	 * The request attribute holding the caller where a module signs its callers in without Spring Security (SCIM,
	 * whose filter chain cost more than its handlers): it ends with the request, so no caller outlives its request.
	 */
	String REQUEST_ATTRIBUTE = ActingPrincipal.class.getName();

	Actor actor();

	/** The company the caller belongs to; null for the operator. */
	UUID companyId();

}
