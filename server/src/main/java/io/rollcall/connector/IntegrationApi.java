package io.rollcall.connector;

import io.rollcall.company.Company;
import io.rollcall.platform.Actor;
import io.rollcall.sync.SyncRun;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.models.Operation;

import org.springframework.http.HttpStatus;
import org.springframework.util.Assert;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * A directory integration in the REST API, at the path its subclass maps: read and save its set-up, and "Sync users".
 * Run history and plans are the engine's ({@code .../sync-runs}, {@code /api/v1/sync-runs/{id}}). A provider's
 * subclass adds what only it has (consent, a hook secret) and says what its set-up and its full run are
 * ({@link Operations}); the API document names the operations after the provider ({@code getEntraSetup}).
 *
 * @param <I> the provider's integration
 * @param <S> the set-up as the API shows it
 * @param <F> the set-up as an admin sends it
 */
public abstract class IntegrationApi<I extends ProviderIntegration<?, S, F>, S, F> {

	private final I integration;

	private final Operations operations;

	/**
	 * How the API document names and describes a provider's operations.
	 *
	 * @param name the provider in operation ids, e.g. {@code Entra} in {@code getEntraSetup}
	 * @param from the provider as the full run's summary names it after "from": "Okta", "the JSON directory"
	 * @param setup what reading the set-up answers, e.g. which secrets it leaves out
	 * @param save what the set-up holds and what saving it does
	 * @param sync what a full run reads
	 */
	public record Operations(String name, String from, String setup, String save, String sync) {
	}

	protected IntegrationApi(I integration, Operations operations) {
		Assert.notNull(integration, "integration cannot be null");
		Assert.notNull(operations, "operations cannot be null");
		this.integration = integration;
		this.operations = operations;
	}

	/** The provider's integration, for what only it has. */
	protected final I integration() {
		return this.integration;
	}

	@GetMapping
	public S setup(Company company) {
		return this.integration.setup(company.id());
	}

	@PutMapping
	public S save(Company company, @RequestBody F form, Actor actor) {
		return this.integration.save(company.id(), form, actor);
	}

	/** What "Sync users" asks for: a full run, or with {@code dryRun} true only its plan. */
	@Schema(name = "IntegrationRunRequest")
	public record RunRequest(Boolean dryRun) {
	}

	@PostMapping("/sync-runs")
	@ResponseStatus(HttpStatus.ACCEPTED)
	public SyncRun sync(Company company, @RequestBody(required = false) RunRequest request, Actor actor) {
		return this.integration.sync(company.id(), request != null && Boolean.TRUE.equals(request.dryRun()), actor);
	}

	/** Names and describes the operation of {@code handler}, one of this class's, after the provider. */
	void describe(String handler, Operation operation) {
		String name = this.integration.name();
		switch (handler) {
			case "setup" -> operation.operationId("get" + this.operations.name() + "Setup")
				.summary("Read the " + name + " set-up")
				.description(this.operations.setup());
			case "save" -> operation.operationId("save" + this.operations.name() + "Setup")
				.summary("Save the " + name + " set-up")
				.description(this.operations.save());
			case "sync" -> operation.operationId("sync" + this.operations.name())
				.summary("Sync users from " + this.operations.from())
				.description(this.operations.sync() + "; {\"dryRun\": true} only plans it.");
			default -> throw new IllegalArgumentException("not an integration operation: " + handler);
		}
	}

}
