package io.rollcall.connector;

import io.rollcall.sync.SourceKind;

import org.springframework.util.Assert;

/**
 * A provider as its package describes it once: the source it is, and what an admin saves before its first run. Its
 * {@link ProviderSource} (a run with no connection fails with it) and its {@link ProviderIntegration} (a sync asked for
 * before the set-up is refused with it) say the same sentence, so an admin reads one instruction wherever they meet it.
 *
 * @param source the source: its kind, name, console page and field table
 * @param notSetUp the sentence for a company with no connection yet, e.g. "Okta is not set up for this company: save
 * … first"
 */
public record ProviderKind(SourceKind source, String notSetUp) {

	public ProviderKind {
		Assert.notNull(source, "source cannot be null");
		Assert.hasText(notSetUp, "notSetUp cannot be empty");
	}

}
