package io.rollcall.csv;

import java.util.List;

import io.rollcall.sync.SourceKind;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * The CSV import as a source: its name, its line on Integrations and its page. Its field table is made from each
 * file's header ({@link io.rollcall.mapping.DefaultMappings#forColumns}), so it brings none.
 */
@Configuration(proxyBeanMethods = false)
class CsvKind {

	static final SourceKind SOURCE = new SourceKind("csv", "CSV import",
			"Upload a spreadsheet of your people; preview what changes, then apply it.", "/console/integrations/csv",
			List.of());

	/** First on Integrations: the way to start without any set-up. */
	@Bean
	@Order(10)
	SourceKind csvSourceKind() {
		return SOURCE;
	}

}
