package io.rollcall;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module diagrams in {@code docs/modules} (Spring Modulith's Documenter: all modules and their dependencies, then
 * each module with its neighbours) are the code's as it is, and the README's module table names every module and no
 * other. After a module is added or its dependencies change:
 * {@code ./rollcall test -pl server -am -Dtest=ModuleDocumentationTests -Dsurefire.failIfNoSpecifiedTests=false -Drollcall.docs.refresh=true}.
 */
class ModuleDocumentationTests {

	private static final Path DOCS = Path.of("..", "docs", "modules");

	private static final Path README = Path.of("..", "README.md");

	@Test
	void modulesWhenDocumentedThenDiagramsInDocsAreCurrentAndReadmeTableNamesEveryModule() throws IOException {
		ApplicationModules modules = ApplicationModules.of(RollcallApplication.class,
				com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage("io.rollcall.emulators.."));
		Path written = Path.of("target", "module-docs");
		new Documenter(modules, Documenter.Options.defaults().withOutputFolder(written.toString()))
			.writeModulesAsPlantUml()
			.writeIndividualModulesAsPlantUml();
		List<Path> diagrams = diagrams(written);
		assertThat(diagrams).hasSizeGreaterThan(modules.stream().toList().size());

		if (Boolean.getBoolean("rollcall.docs.refresh")) {
			Files.createDirectories(DOCS);
			for (Path old : diagrams(DOCS)) {
				Files.delete(old);
			}
			for (Path diagram : diagrams) {
				Files.copy(diagram, DOCS.resolve(diagram.getFileName()));
			}
		}
		List<String> stale = new ArrayList<>();
		for (Path diagram : diagrams) {
			Path documented = DOCS.resolve(diagram.getFileName());
			if (!Files.exists(documented) || !lines(documented).equals(lines(diagram))) {
				stale.add(diagram.getFileName().toString());
			}
		}
		assertThat(stale).as("diagrams in docs/modules that differ from the code's; refresh them with "
				+ "-Drollcall.docs.refresh=true (see this class)")
			.isEmpty();
		assertThat(diagrams(DOCS).stream().map(p -> p.getFileName().toString()))
			.as("diagrams in docs/modules of modules that are gone")
			.containsExactlyInAnyOrderElementsOf(diagrams.stream().map(p -> p.getFileName().toString()).toList());

		Set<String> names = modules.stream()
			.map(module -> module.getIdentifier().toString())
			.collect(Collectors.toCollection(TreeSet::new));
		assertThat(readmeModules()).as("the README's module table").isEqualTo(names);
	}

	/** A diagram's lines in order: the Documenter lists modules in the order the class path gives them. */
	private static List<String> lines(Path diagram) throws IOException {
		return Files.readAllLines(diagram).stream().map(String::strip).sorted().toList();
	}

	private static List<Path> diagrams(Path folder) throws IOException {
		if (!Files.isDirectory(folder)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(folder)) {
			return files.filter(p -> p.toString().endsWith(".puml")).sorted().toList();
		}
	}

	/** The first column of the table under "| module | holds |". */
	private static Set<String> readmeModules() throws IOException {
		String readme = Files.readString(README);
		int table = readme.indexOf("| module | holds |");
		assertThat(table).as("the README's module table").isNotNegative();
		Set<String> names = new TreeSet<>();
		Matcher row = Pattern.compile("^\\| `([a-z]+)` \\|", Pattern.MULTILINE)
			.matcher(readme.substring(table, readme.indexOf("\n\n", table)));
		while (row.find()) {
			names.add(row.group(1));
		}
		return names;
	}

}
