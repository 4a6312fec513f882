package io.rollcall.company;

/** What an admin may change about their company; null leaves a setting as it is. */
public record CompanySettings(String name, String defaultTimezone, String defaultLanguage,
		Integer deactivationHoldPercent, Integer deactivationHoldMinimum) {

	public CompanySettings(String name, String defaultTimezone, String defaultLanguage) {
		this(name, defaultTimezone, defaultLanguage, null, null);
	}

}
