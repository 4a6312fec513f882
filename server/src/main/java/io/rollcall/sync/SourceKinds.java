package io.rollcall.sync;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

/** Every source the service has, as each describes itself ({@link SourceKind}), in their beans' order. */
@Component
public class SourceKinds {

	private final List<SourceKind> all;

	private final Map<String, SourceKind> byKind;

	SourceKinds(List<SourceKind> kinds) {
		this.all = List.copyOf(kinds);
		this.byKind = kinds.stream().collect(Collectors.toUnmodifiableMap(SourceKind::kind, Function.identity()));
	}

	/** In the order Integrations lists them. */
	public List<SourceKind> all() {
		return this.all;
	}

	public Optional<SourceKind> find(String kind) {
		return Optional.ofNullable(kind).map(this.byKind::get);
	}

	/** The source's name as admins know it; its kind for one the service does not have (any more). */
	public String name(String kind) {
		return find(kind).map(SourceKind::name).orElse(kind);
	}

}
