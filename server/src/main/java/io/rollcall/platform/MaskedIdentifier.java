package io.rollcall.platform;

/**
 * An identifier kept sealed (a tenant ID) as the API and the console show it once saved: only its last four
 * characters, enough for an admin to recognise it, never enough to copy it into another set-up. A form that sends
 * the mask back (or nothing) keeps the stored value, so saving a form never needs the identifier retyped.
 */
public final class MaskedIdentifier {

	/** What stands for the hidden part; neither character can occur in a GUID or a domain name. */
	private static final String HIDDEN = "••••••••-…-";

	private MaskedIdentifier() {
	}

	/** {@code ••••••••-…-1a2b} for {@code …1a2b}; null for null. */
	public static String mask(String identifier) {
		if (identifier == null) {
			return null;
		}
		return HIDDEN + identifier.substring(Math.max(0, identifier.length() - 4));
	}

	/** Whether a submitted value is a mask this class made (so the stored value is meant), not a new identifier. */
	public static boolean isMask(String submitted) {
		return submitted != null && (submitted.indexOf('•') >= 0 || submitted.indexOf('…') >= 0);
	}

}
