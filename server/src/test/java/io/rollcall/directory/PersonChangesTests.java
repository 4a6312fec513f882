package io.rollcall.directory;

import java.util.Random;
import java.util.regex.Pattern;

import io.rollcall.company.Companies;
import io.rollcall.platform.RequestRejectedException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Normalising without Spring: the e-mail check against the pattern it replaced, the language tags remembered. */
@Tag("unit")
class PersonChangesTests {

	/** The pattern e-mail addresses were checked with before {@link PersonChanges#isEmailAddress}. */
	private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

	@Test
	void isEmailAddressWhenAnyStringOfItsSymbolsThenAgreesWithThePattern() {
		char[] symbols = { 'a', '@', '.', ' ', '\t', '\n', '\013', '\f', '\r', '\u00a0', '\u2028', '\u0085', 'é' };
		Random random = new Random(19);
		for (int n = 0; n < 300_000; n++) {
			StringBuilder text = new StringBuilder();
			int length = 1 + random.nextInt(9);
			for (int i = 0; i < length; i++) {
				// Mostly letters, so that many strings come near an address.
				text.append(random.nextInt(3) == 0 ? symbols[random.nextInt(symbols.length)] : 'a');
			}
			String candidate = text.toString();
			assertThat(PersonChanges.isEmailAddress(candidate)).as("'%s'", candidate.translateEscapes())
				.isEqualTo(EMAIL.matcher(candidate).matches());
		}
	}

	@Test
	void isEmailAddressWhenTypicalAddressesThenAsThePattern() {
		for (String text : new String[] { "a@b.c", "first.last@example.com", "a@.b.c", "a@b.", "a@b..c", "@b.c",
				"a@@b.c", "a@b@c.d", "a b@c.d", "a@bc", "a@b.c ", "a.b@c", "x@y.z.", "x@.y", "x@y.z\n" }) {
			assertThat(PersonChanges.isEmailAddress(text)).as(text).isEqualTo(EMAIL.matcher(text).matches());
		}
	}

	@Test
	void normaliseWhenTheSameLanguageAgainThenTheSameTagAndABadOneStillRefused() {
		for (int i = 0; i < 3; i++) {
			assertThat(PersonChanges.normalise(PersonField.LANGUAGE, "pt_br")).isEqualTo("pt-BR");
			assertThat(Companies.languageTag("language", " EN-gb ")).isEqualTo("en-GB");
			assertThatThrownBy(() -> PersonChanges.normalise(PersonField.LANGUAGE, "not a tag!"))
				.isInstanceOf(RequestRejectedException.class)
				.hasMessageContaining("is not a language tag");
		}
	}

}
