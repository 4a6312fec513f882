package io.rollcall.events;

import java.util.List;
import java.util.UUID;

/**
 * Who hears that a company's endpoint was disabled: its owners and admins. The directory implements it, as it owns
 * people, so that this module does not read their table.
 */
public interface WebhookAlarmRecipients {

	/** The e-mail addresses of the company's active owners and admins. */
	List<String> emails(UUID companyId);

}
