package io.rollcall.sync;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Service;

/**
 * Whether each source's changes are getting through: the problem and since when, and how many changes wait, for the
 * integrations' pages and API; and, over every company, the gauges {@code rollcall_changes_waiting{source}} and
 * {@code rollcall_sync_runs_retrying} for the operator's alerts.
 */
@Service
public class SourceHealth {

	private final SyncRuns runs;

	private final Map<String, ChangeQueue> queues;

	SourceHealth(SyncRuns runs, List<ChangeQueue> queues, MeterRegistry registry) {
		this.runs = runs;
		this.queues = queues.stream().collect(Collectors.toMap(ChangeQueue::source, q -> q));
		for (ChangeQueue queue : queues) {
			Gauge.builder("rollcall_changes_waiting", () -> waiting(queue.source()))
				.description(
						"Provider changes not yet brought in: queued for a run, or in a run that has not succeeded yet")
				.tag("source", queue.source())
				.register(registry);
		}
		Gauge.builder("rollcall_sync_runs_retrying", this::retrying)
			.description("Runs that failed and wait to be tried again")
			.register(registry);
	}

	public SyncHealth of(UUID companyId, String source) {
		ChangeQueue queue = this.queues.get(source);
		long waiting = (queue == null ? 0 : queue.waiting(companyId)) + this.runs.changesInRuns(companyId, source);
		return new SyncHealth(this.runs.problem(companyId, source).orElse(null), waiting,
				this.runs.lastSucceededAt(companyId, source));
	}

	private double waiting(String source) {
		return this.queues.get(source).waiting(null) + this.runs.changesInRuns().getOrDefault(source, 0L);
	}

	private double retrying() {
		return this.runs.retryingCount();
	}

}
