package io.rollcall;

import java.util.List;

import io.rollcall.support.IntegrationTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.test.context.junit.jupiter.SpringExtension;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The unit lane (tests tagged {@code unit}, run first by the build and on their own in seconds) holds only tests
 * that start nothing: a test that boots the application there would make the lane slow without anyone noticing.
 */
@Tag("unit")
class UnitLaneTests {

	@Test
	void unitLaneWhenScannedThenNoTestStartsTheApplication() throws Exception {
		List<Class<?>> lane = unitTests();

		assertThat(lane).contains(UnitLaneTests.class);
		for (Class<?> test : lane) {
			MergedAnnotations annotations = MergedAnnotations.from(test, SearchStrategy.TYPE_HIERARCHY);
			assertThat(IntegrationTest.class.isAssignableFrom(test) || annotations.isPresent(SpringBootTest.class)
					|| annotations.stream(org.junit.jupiter.api.extension.ExtendWith.class)
						.anyMatch(
								extension -> List.of(extension.getClassArray("value")).contains(SpringExtension.class)))
				.as("%s is tagged unit but starts Spring; move it to the application lane (remove the tag)",
						test.getName())
				.isFalse();
		}
	}

	private static List<Class<?>> unitTests() throws ClassNotFoundException {
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false) {
			@Override
			protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
				return true;
			}
		};
		scanner.addIncludeFilter((reader, factory) -> reader.getAnnotationMetadata()
			.getAnnotations()
			.stream(Tag.class)
			.anyMatch(tag -> "unit".equals(tag.getString("value"))));
		List<Class<?>> tests = new java.util.ArrayList<>();
		for (var candidate : scanner.findCandidateComponents("io.rollcall")) {
			tests.add(ClassUtils.forName(candidate.getBeanClassName(), UnitLaneTests.class.getClassLoader()));
		}
		return tests;
	}

}
