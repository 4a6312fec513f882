package io.rollcall.emulators.entra;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

class PhotosTests {

    @Test
    void generatedWhenDecodedThenRealJpegOfExpectedSizeAndUniquePerVersion() throws Exception {
        byte[] first = Photos.generated("user-1", 1);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(first));
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isEqualTo(Photos.SIZE);
        assertThat(Photos.generated("user-1", 1)).isEqualTo(first);
        assertThat(Photos.etag(Photos.generated("user-1", 2))).isNotEqualTo(Photos.etag(first));
        assertThat(Photos.etag(Photos.generated("user-2", 1))).isNotEqualTo(Photos.etag(first));
    }
}
