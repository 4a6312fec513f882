package io.rollcall.console;

import java.util.function.Supplier;

import io.rollcall.connector.Integration;
import io.rollcall.platform.RequestRejectedException;

import org.springframework.util.Assert;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Integrations → an integration's own actions (saving its set-up, consent, a hook secret): each goes back to the
 * integration's page with what it did, or why it was refused. What every integration's page does alike is
 * {@link IntegrationPages}'. A source's page class lives in its own package, mapped under
 * {@code /console/integrations/{kind}}; the console's error pages cover it as they do the console's own.
 *
 * @param <I> the integration
 */
public abstract class IntegrationPage<I extends Integration> {

	private final I integration;

	protected IntegrationPage(I integration) {
		Assert.notNull(integration, "integration cannot be null");
		this.integration = integration;
	}

	protected final I integration() {
		return this.integration;
	}

	/** The integration's page, for an action to send the admin back to. */
	protected final String page() {
		return "/console/integrations/" + this.integration.kind();
	}

	/**
	 * Does an admin's action and goes back to the page, with the action's message or the refusal's.
	 *
	 * @param action what to do; answers what to tell the admin
	 */
	protected final String act(RedirectAttributes redirect, Supplier<String> action) {
		try {
			Flash.good(redirect, action.get());
		}
		catch (RequestRejectedException ex) {
			Flash.bad(redirect, ex.getMessage());
		}
		return "redirect:" + page();
	}

	/**
	 * Sends the admin off to an address the integration gives (a provider's consent page), or back to the page with
	 * why it cannot.
	 */
	protected final String redirect(RedirectAttributes redirect, Supplier<?> address) {
		try {
			return "redirect:" + address.get();
		}
		catch (RequestRejectedException ex) {
			Flash.bad(redirect, ex.getMessage());
			return "redirect:" + page();
		}
	}

}
