package io.rollcall.connector;

import java.util.Optional;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.Assert;

/**
 * What a provider's receiver does with every delivery besides checking it: reads its items from the JSON body, and
 * once it has queued them for its {@link ChangeWorker}, counts them and wakes the worker; refusals are counted too.
 * Which items are the provider's, and where they are queued, is the receiver's own.
 */
public final class HookDeliveries {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final ChangeWorker worker;

	private final Counter accepted;

	private final Counter rejected;

	/**
	 * @param accepted the meter of queued items ({@code outcome=accepted})
	 * @param rejected the meter of refusals ({@code outcome=rejected})
	 */
	public HookDeliveries(ChangeWorker worker, MeterRegistry meters, String accepted, String rejected) {
		Assert.notNull(worker, "worker cannot be null");
		this.worker = worker;
		this.accepted = Counter.builder(accepted).tag("outcome", "accepted").register(meters);
		this.rejected = Counter.builder(rejected).tag("outcome", "rejected").register(meters);
	}

	/**
	 * A delivery's items: the array at {@code pointer} in its body.
	 *
	 * @param pointer a JSON pointer, e.g. {@code /value}
	 * @return empty when the body is not JSON or holds no such array
	 */
	public static Optional<JsonNode> items(byte[] body, String pointer) {
		if (body == null) {
			return Optional.empty();
		}
		try {
			return Optional.of(JSON.readTree(body).at(pointer)).filter(JsonNode::isArray);
		}
		catch (JacksonException ex) {
			return Optional.empty();
		}
	}

	/** {@code count} items were queued: the worker looks at them once the queueing commits. */
	public void queued(int count) {
		if (count > 0) {
			this.accepted.increment(count);
			this.worker.wake();
		}
	}

	/** {@code count} items or deliveries were refused. */
	public void rejected(int count) {
		this.rejected.increment(count);
	}

}
