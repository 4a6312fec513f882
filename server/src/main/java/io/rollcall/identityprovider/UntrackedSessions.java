package io.rollcall.identityprovider;

import java.util.List;

import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;

/**
 * The authorization server's view of sign-in sessions: none. It would otherwise keep every session in this node's
 * memory (a registry of its own: the sessions themselves are in PostgreSQL), to put a {@code sid} (the session's hash)
 * in ID tokens and to check it at end-session; but the session that authorizes, the token request and the end-session
 * request may each reach another node, whose registry does not know the session: no {@code sid} in the token and a
 * refused sign-out. Without a {@code sid}, end-session checks that the ID
 * token's {@code sub} is the person signed in to this session, and an application's session is known by {@code sub}.
 */
final class UntrackedSessions implements SessionRegistry {

	@Override
	public List<Object> getAllPrincipals() {
		return List.of();
	}

	@Override
	public List<SessionInformation> getAllSessions(Object principal, boolean includeExpiredSessions) {
		return List.of();
	}

	@Override
	public SessionInformation getSessionInformation(String sessionId) {
		return null;
	}

	@Override
	public void refreshLastRequest(String sessionId) {
	}

	@Override
	public void registerNewSession(String sessionId, Object principal) {
	}

	@Override
	public void removeSessionInformation(String sessionId) {
	}

}
